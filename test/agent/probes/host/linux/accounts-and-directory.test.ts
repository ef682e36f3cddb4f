import { describe, expect, it } from 'vitest';
import { collectDirectoryJoin, parseNetAdsTestjoin, parseRealmList, parseSssdConf, parseWbinfoOwnDomain } from '../../../../../agent/probes/host/linux/directory-join.js';
import { collectLocalAdmins, findLocalAdmins, parseShadow } from '../../../../../agent/probes/host/linux/local-admins.js';
import { failed, fixture, linuxContext, NOW, ok, permissionDenied, PS, psWith, validValue } from './support.js';

const PASSWD = fixture('localAdmins/passwd');
const GROUP = fixture('localAdmins/group');
const SHADOW = fixture('localAdmins/shadow');

describe('local admins (accounts created with useradd/usermod/passwd -l on this machine)', () => {
  it('uid 0 accounts and sudo/wheel members, with password state from shadow', () => {
    const accounts = findLocalAdmins(PASSWD, GROUP, parseShadow(SHADOW, NOW));
    expect(accounts).toEqual([
      { name: 'root', origin: 'local', via: 'uid0', enabled: false },
      { name: 'toor', origin: 'local', via: 'uid0', enabled: false },
      { name: 'anna', origin: 'local', via: 'sudo', enabled: true },
      { name: 'bertil', origin: 'local', via: 'sudo', enabled: false },
      { name: 'cecilia', origin: 'local', via: 'wheel', enabled: false },
    ]);
  });

  it('a member that is not in /etc/passwd comes from a directory', () => {
    const accounts = findLocalAdmins(PASSWD, fixture('localAdmins/group-with-domain-member'), null);
    expect(accounts.find((a) => a.name === 'adm.anders@kommun.test')).toEqual({ name: 'adm.anders@kommun.test', origin: 'domain', via: 'sudo', enabled: null });
  });

  it('an expired account is disabled even with a password', () => {
    expect(parseShadow('x:$6$abc:20000:0:99999:7::20100:\n', NOW).get('x')).toBe(false);
  });

  it('collector: unreadable shadow gives enabled null and says so', async () => {
    const c = linuxContext({}, { '/etc/passwd': PASSWD, '/etc/group': GROUP, '/etc/shadow': permissionDenied('/etc/shadow') });
    const observation = await collectLocalAdmins(c);
    expect(validValue('localAdmins', observation).accounts.every((a) => a.enabled === null)).toBe(true);
    expect(observation.source).toContain('/etc/shadow not readable');
  });

  it('collector: missing /etc/passwd is an error', async () => {
    await expect(collectLocalAdmins(linuxContext({}, { '/etc/group': GROUP }))).rejects.toThrow(/\/etc\/passwd/);
  });
});

describe('directory join', () => {
  it('realm list of a joined host (AWS ParallelCluster documentation)', () => {
    expect(parseRealmList(fixture('directoryJoin/realm-list-aws-parallelcluster-docs.txt'))).toEqual([
      { name: 'corp.pcluster.com', configured: 'kerberos-member', clientSoftware: 'sssd' },
    ]);
  });

  it('sssd.conf: the AD domain from the sssd-ad(5) example; an LDAP-only domain is no join', () => {
    expect(parseSssdConf(fixture('directoryJoin/sssd-conf-ad-assembled.conf'))).toEqual([{ name: 'EXAMPLE', idProvider: 'ad', adDomain: 'example.com' }]);
    expect(parseSssdConf(fixture('directoryJoin/sssd-conf-manpage-ldap.conf'))).toEqual([{ name: 'LDAP', idProvider: 'ldap', adDomain: null }]);
  });

  it('wbinfo without winbindd prints (null)', () => {
    expect(parseWbinfoOwnDomain(fixture('directoryJoin/wbinfo-own-domain-no-winbindd.txt'))).toBeNull();
    // samba source3/utils/net_ads.c prints "Join is OK" on success.
    expect(parseNetAdsTestjoin('Join is OK\n')).toBe(true);
    expect(parseNetAdsTestjoin('Join to domain is not valid: NT_STATUS_NO_TRUST_SAM_ACCOUNT\n')).toBe(false);
  });

  it('collector: realm list reports the join', async () => {
    const c = linuxContext({ [PS]: psWith('sssd'), 'realm list': ok(fixture('directoryJoin/realm-list-aws-parallelcluster-docs.txt')) });
    expect(validValue('directoryJoin', await collectDirectoryJoin(c))).toEqual({ joined: true, method: 'realmd', domain: 'corp.pcluster.com' });
  });

  it('collector: without realmd (no D-Bus), a running sssd with an AD domain is a join', async () => {
    const c = linuxContext(
      { [PS]: psWith('sssd'), 'realm list': failed(1, fixture('directoryJoin/realm-list-no-dbus.txt')) },
      { '/etc/sssd/sssd.conf': fixture('directoryJoin/sssd-conf-ad-assembled.conf') },
    );
    expect(validValue('directoryJoin', await collectDirectoryJoin(c))).toEqual({ joined: true, method: 'sssd', domain: 'example.com' });
  });

  it('collector: sssd configured but not running is not joined', async () => {
    const c = linuxContext({ [PS]: psWith() }, { '/etc/sssd/sssd.conf': fixture('directoryJoin/sssd-conf-ad-assembled.conf') });
    expect(validValue('directoryJoin', await collectDirectoryJoin(c))).toEqual({ joined: false, method: null, domain: null });
  });

  it('collector: sssd running but its config unreadable is an error', async () => {
    const c = linuxContext({ [PS]: psWith('sssd') }, { '/etc/sssd/sssd.conf': permissionDenied('/etc/sssd/sssd.conf') });
    await expect(collectDirectoryJoin(c)).rejects.toThrow(/sssd is running but \/etc\/sssd\/sssd.conf cannot be read/);
  });

  it('collector: winbind joined', async () => {
    const c = linuxContext({ [PS]: psWith('winbindd'), 'wbinfo --own-domain': ok('KOMMUN\n'), 'net ads testjoin': ok('Join is OK\n') });
    expect(validValue('directoryJoin', await collectDirectoryJoin(c))).toEqual({ joined: true, method: 'winbind', domain: 'KOMMUN' });
  });
});
