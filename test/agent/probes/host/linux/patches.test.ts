import { describe, expect, it } from 'vitest';
import { parseAptHistoryLastUpgrade, parseAptListUpgradable, parseAptSimulation, parseDpkgLogLastUpgrade } from '../../../../../agent/probes/host/linux/patches-apt.js';
import { packageNameFromNevra, parseDnfCheckUpdate, parseDnfRpmLogLastUpgrade, parseDnfUpdateinfoSecurity } from '../../../../../agent/probes/host/linux/patches-dnf.js';
import { collectPatches } from '../../../../../agent/probes/host/linux/patches.js';
import { failed, fixture, linuxContext, ok, validValue } from './support.js';

const APT_LIST = fixture('patches/apt-list-upgradable-debian12.txt');
const APT_SIM = fixture('patches/apt-get-s-dist-upgrade-debian12.txt');

describe('apt parsers (Debian 12, captured on this machine)', () => {
  it('apt list --upgradable: 135 pending, 81 from the security suite', () => {
    const updates = parseAptListUpgradable(APT_LIST);
    expect(updates).toHaveLength(135);
    expect(updates.filter((u) => u.security)).toHaveLength(81);
    expect(updates.find((u) => u.name === 'liblzma5')).toEqual({ name: 'liblzma5', security: true });
    // In both oldstable and oldstable-security: a security update.
    expect(updates.find((u) => u.name === 'libgcrypt20')?.security).toBe(true);
    expect(updates.find((u) => u.name === 'base-files')?.security).toBe(false);
  });

  it('apt-get -s dist-upgrade agrees with apt list', () => {
    const simulated = parseAptSimulation(APT_SIM);
    expect(simulated).toHaveLength(135);
    expect(simulated.filter((u) => u.security).map((u) => u.name).sort()).toEqual(
      parseAptListUpgradable(APT_LIST).filter((u) => u.security).map((u) => u.name).sort(),
    );
  });

  it('finds the last upgrade in dpkg.log and apt history (local time)', () => {
    expect(parseDpkgLogLastUpgrade(fixture('patches/dpkg.log'))).toBeNull(); // this log tail holds installs only
    expect(parseDpkgLogLastUpgrade('2026-11-20 10:00:01 upgrade bash:amd64 5.2.15-2+b8 5.2.15-2+b13\n')).toEqual(new Date(2026, 10, 20, 10, 0, 1));
    const history = fixture('patches/apt-history.log');
    const last = parseAptHistoryLastUpgrade(history);
    if (/^Upgrade: /m.test(history)) expect(last).toBeInstanceOf(Date);
    else expect(last).toBeNull();
  });

  it('ignores the WARNING and Listing lines', () => {
    expect(parseAptListUpgradable(`${fixture('patches/apt-list-upgradable-debian12.stderr')}Listing...\n`)).toEqual([]);
  });
});

describe('dnf and yum parsers', () => {
  it('dnf updateinfo list (Amazon Linux 2023 documentation)', () => {
    expect(parseDnfUpdateinfoSecurity(fixture('patches/dnf-updateinfo-list-al2023-docs.txt'))).toEqual(['kernel-livepatch-6.1.12-17.42']);
  });

  it('yum updateinfo list security (RHEL 7, from a GitHub issue)', () => {
    expect(parseDnfUpdateinfoSecurity(fixture('patches/yum-updateinfo-list-security-rhel7-p10k-issue.txt'))).toEqual(['389-ds-base', '389-ds-base-libs']);
  });

  it('strips version and arch from NEVRAs, with and without epoch', () => {
    expect(packageNameFromNevra('dbus-libs-1:1.10.24-14.el7_8.x86_64')).toBe('dbus-libs');
    expect(packageNameFromNevra('openssl-libs-1:3.0.7-27.el9.x86_64')).toBe('openssl-libs');
  });

  // No captured `dnf check-update` output was found; these lines follow the column format
  // dnf prints (name.arch, version, repository) and are not a recording.
  it('dnf check-update columns, stopping at Obsoleting Packages', () => {
    const text = '\nbash.x86_64    5.1.8-9.el9    baseos\nopenssl-libs.x86_64    1:3.0.7-27.el9    baseos\nObsoleting Packages\ngrub2-tools.x86_64  1:2.06-70.el9  baseos\n';
    expect(parseDnfCheckUpdate(text, new Set(['openssl-libs']))).toEqual([
      { name: 'bash', security: false },
      { name: 'openssl-libs', security: true },
    ]);
  });

  it('dnf.rpm.log upgrade time with zone', () => {
    expect(parseDnfRpmLogLastUpgrade('2026-11-20T09:28:19+0000 SUBDEBUG Upgraded: bash-5.1.8-6.el9.x86_64\n')?.toISOString()).toBe('2026-11-20T09:28:19.000Z');
  });
});

describe('collectPatches', () => {
  it('apt: counts, security names, refresh time from the newest stamp', async () => {
    const c = linuxContext(
      {
        'apt list --upgradable': ok(APT_LIST, fixture('patches/apt-list-upgradable-debian12.stderr')),
        stat: ok(fixture('patches/stat-apt.txt'), fixture('patches/stat-apt.stderr')),
      },
      { '/var/log/dpkg.log': fixture('patches/dpkg.log'), '/var/log/apt/history.log': fixture('patches/apt-history.log') },
    );
    const value = validValue('patches', await collectPatches(c));
    expect(value).toMatchObject({ manager: 'apt', pendingTotal: 135, pendingSecurity: 81, lastRefresh: new Date(1795409026 * 1000).toISOString() });
    expect(value.securityUpdates).toContain('libssl3');
    expect(value.securityUpdates).toHaveLength(81);
  });

  it('dnf when apt is missing, using the cache only', async () => {
    const calls: string[] = [];
    const c = linuxContext(
      {
        'dnf -q --cacheonly updateinfo list --security --available': ok(fixture('patches/dnf-updateinfo-list-al2023-docs.txt')),
        'dnf -q --cacheonly check-update': failed(100, '', 'kernel-livepatch-6.1.12-17.42.x86_64  1.0-4.amzn2023  amazonlinux\n'),
        stat: failed(1, 'stat: cannot statx'),
      },
      {},
      {},
      {},
      calls,
    );
    const value = validValue('patches', await collectPatches(c));
    expect(value).toMatchObject({ manager: 'dnf', pendingSecurity: 1, pendingTotal: 1, lastRefresh: null, lastInstalled: null });
    expect(calls.every((call) => !call.startsWith('dnf') || call.includes('--cacheonly'))).toBe(true);
  });

  it('no package manager: unsupported, with the reason', async () => {
    await expect(collectPatches(linuxContext({}))).rejects.toMatchObject({ name: 'UnsupportedFact', message: expect.stringMatching(/no supported package manager/) });
  });

  it('a failing or hanging apt is an error, never zero pending updates', async () => {
    await expect(collectPatches(linuxContext({ 'apt list --upgradable': failed(100, 'E: Could not open lock file') }))).rejects.toThrow(/exited with code 100: E: Could not open lock file/);
    await expect(collectPatches(linuxContext({ 'apt list --upgradable': 'timeout' }))).rejects.toThrow(/timed out/);
  });
});
