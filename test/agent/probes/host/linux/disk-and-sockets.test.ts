import { describe, expect, it } from 'vitest';
import { collectDiskEncryption, parseLsblk } from '../../../../../agent/probes/host/linux/disk-encryption.js';
import { collectListeningServices, isLoopback, parseSs, splitAddress } from '../../../../../agent/probes/host/linux/listening-services.js';
import { classifyPort } from '../../../../../report/well-known-ports.js';
import { failed, fixture, linuxContext, ok, validValue } from './support.js';

describe('disk encryption (lsblk -J)', () => {
  it('this machine: / on an unencrypted virtio disk', () => {
    expect(parseLsblk(fixture('diskEncryption/lsblk-firecracker.json'))).toEqual([
      { device: 'vda', mountpoint: '/', encrypted: false, method: null, protectionOn: null },
    ]);
  });

  it('LUKS root: the crypt child of a crypto_LUKS partition is encrypted, its siblings are not', () => {
    const volumes = parseLsblk(fixture('diskEncryption/lsblk-J-armbian-luks-root-derived.json'));
    expect(volumes.find((v) => v.mountpoint === '/')).toEqual({ device: 'armbian-root', mountpoint: '/', encrypted: true, method: 'luks', protectionOn: null });
    expect(volumes.find((v) => v.mountpoint === '/boot')?.encrypted).toBe(false);
    expect(volumes.find((v) => v.mountpoint === '[SWAP]')?.encrypted).toBe(false);
  });

  it('older lsblk (MOUNTPOINT) and plain dm-crypt', () => {
    const text = JSON.stringify({ blockdevices: [{ name: 'sda', type: 'disk', fstype: null, mountpoint: null, children: [{ name: 'swap_crypt', type: 'crypt', fstype: 'swap', mountpoint: '[SWAP]' }] }] });
    expect(parseLsblk(text)).toEqual([{ device: 'swap_crypt', mountpoint: '[SWAP]', encrypted: true, method: 'other', protectionOn: null }]);
  });

  it('collector: root on a block device gives the volumes', async () => {
    const c = linuxContext({ 'lsblk -J -o NAME,TYPE,MOUNTPOINTS,FSTYPE': ok(fixture('diskEncryption/lsblk-J-armbian-luks-root-derived.json')) });
    expect(validValue('diskEncryption', await collectDiskEncryption(c)).volumes).toHaveLength(5);
  });

  it('collector: retries with MOUNTPOINT on util-linux < 2.37', async () => {
    const c = linuxContext({
      'lsblk -J -o NAME,TYPE,MOUNTPOINTS,FSTYPE': failed(1, 'lsblk: unknown column: MOUNTPOINTS'),
      'lsblk -J -o NAME,TYPE,MOUNTPOINT,FSTYPE': ok('{"blockdevices":[{"name":"sda1","type":"part","fstype":"ext4","mountpoint":"/"}]}'),
    });
    expect(validValue('diskEncryption', await collectDiskEncryption(c)).volumes[0]?.mountpoint).toBe('/');
  });

  it('collector: a root that is not on a block device (container) is unsupported, with the reason', async () => {
    const c = linuxContext({ 'lsblk -J -o NAME,TYPE,MOUNTPOINTS,FSTYPE': ok('{"blockdevices":[{"name":"vda","type":"disk","fstype":null,"mountpoints":[null]}]}') });
    await expect(collectDiskEncryption(c)).rejects.toMatchObject({ name: 'UnsupportedFact', message: expect.stringMatching(/not on a block device/) });
  });

  it('collector: lsblk missing or printing garbage is an error', async () => {
    await expect(collectDiskEncryption(linuxContext({}))).rejects.toThrow(/not installed/);
    await expect(collectDiskEncryption(linuxContext({ 'lsblk -J -o NAME,TYPE,MOUNTPOINTS,FSTYPE': ok('garbage') }))).rejects.toThrow(/unreadable output/);
  });
});

describe('listening services (ss -H -tulpn, captured with nc listeners)', () => {
  it('parses addresses, processes, services and loopback', () => {
    const sockets = parseSs(fixture('listeningServices/ss-H-tulpn-listeners.txt'));
    expect(sockets).toHaveLength(7);
    expect(sockets.find((s) => s.port === 23)).toEqual({ protocol: 'tcp', address: '0.0.0.0', port: 23, process: 'nc', pid: 9409, service: 'telnet', cleartext: true, loopbackOnly: false });
    expect(sockets.find((s) => s.port === 69)).toMatchObject({ protocol: 'udp', service: 'tftp', cleartext: true });
    expect(sockets.find((s) => s.port === 5900)).toMatchObject({ address: '::1', service: 'vnc', loopbackOnly: true });
    expect(sockets.find((s) => s.port === 443)).toMatchObject({ address: '*', service: 'https', cleartext: false, loopbackOnly: false });
    expect(sockets.find((s) => s.port === 53)).toMatchObject({ address: '127.0.0.53', loopbackOnly: true });
    expect(sockets.find((s) => s.port === 2024)).toMatchObject({ process: null, pid: null, service: null });
  });

  it('splits scoped and bracketed addresses', () => {
    expect(splitAddress('127.0.0.53%lo:53')).toEqual({ address: '127.0.0.53', scope: 'lo', port: 53 });
    expect(splitAddress('[fe80::1%eth0]:123')).toEqual({ address: 'fe80::1', scope: 'eth0', port: 123 });
    expect(splitAddress('*:*')).toBeNull();
    expect(isLoopback('::ffff:127.0.0.1', null)).toBe(true);
    expect(isLoopback('0.0.0.0', 'lo')).toBe(true);
  });

  it('well-known ports: cleartext protocols are flagged', () => {
    expect(classifyPort('tcp', 389)).toEqual({ service: 'ldap', cleartext: true });
    expect(classifyPort('tcp', 636)).toEqual({ service: 'ldaps', cleartext: false });
    expect(classifyPort('udp', 161)).toEqual({ service: 'snmp', cleartext: true });
    expect(classifyPort('tcp', 513)).toEqual({ service: 'rlogin', cleartext: true });
    expect(classifyPort('tcp', 61000)).toEqual({ service: null, cleartext: false });
  });

  it('collector validates, and a missing or failing ss is an error', async () => {
    const c = linuxContext({ 'ss -H -tulpn': ok(fixture('listeningServices/ss-H-tulpn-idle.txt')) });
    expect(validValue('listeningServices', await collectListeningServices(c)).sockets).toHaveLength(1);
    await expect(collectListeningServices(linuxContext({}))).rejects.toThrow(/ss \(iproute2\) is not installed/);
    await expect(collectListeningServices(linuxContext({ 'ss -H -tulpn': 'timeout' }))).rejects.toThrow(/timed out/);
  });
});
