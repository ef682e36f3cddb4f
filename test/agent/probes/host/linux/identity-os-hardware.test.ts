import { describe, expect, it } from 'vitest';
import { FactError } from '../../../../../agent/probes/fact.js';
import { classifyHardware, collectHardware } from '../../../../../agent/probes/host/linux/hardware.js';
import { collectIdentity, parseFqdn, parseHostnameI, parseIpAddressJson, parseMachineId } from '../../../../../agent/probes/host/linux/identity.js';
import { collectOs, osValueFromRelease, parseOsRelease } from '../../../../../agent/probes/host/linux/os.js';
import { fixture, linuxContext, ok, validValue } from './support.js';

describe('identity parsers', () => {
  it('reads routable addresses from `ip -j address show` and drops loopback', () => {
    expect(parseIpAddressJson(fixture('identity/ip-j-address.json'))).toEqual(['192.0.2.2', 'fd00::2']);
  });

  it('rejects output that is not the JSON array ip prints', () => {
    expect(() => parseIpAddressJson('{"x":1}')).toThrow(/JSON array/);
    expect(() => parseIpAddressJson('garbage')).toThrow();
  });

  it('accepts a 32-hex machine id and nothing else', () => {
    expect(parseMachineId(fixture('identity/machine-id'))).toBe('3d1219c7c4c5404aaa1f6d2a48adfda4');
    expect(parseMachineId('uninitialized\n')).toBeNull();
  });

  it('treats a short name from `hostname -f` as no FQDN', () => {
    expect(parseFqdn(fixture('identity/hostname-f.txt'))).toBeNull();
    expect(parseFqdn('ws01.kommun.se\n')).toBe('ws01.kommun.se');
  });

  it('parses `hostname -I`', () => {
    expect(parseHostnameI('192.0.2.2 fd00::2 \n')).toEqual(['192.0.2.2', 'fd00::2']);
  });
});

describe('collectIdentity', () => {
  const files = { '/proc/sys/kernel/hostname': fixture('identity/hostname.txt'), '/etc/machine-id': fixture('identity/machine-id') };

  it('combines hostname, machine id and addresses', async () => {
    const c = linuxContext({ 'ip -j address show': ok(fixture('identity/ip-j-address.json')), 'hostname -f': ok(fixture('identity/hostname-f.txt')) }, files);
    const value = validValue('identity', await collectIdentity(c));
    expect(value).toEqual({ hostname: 'vm', fqdn: null, machineId: '3d1219c7c4c5404aaa1f6d2a48adfda4', addresses: ['192.0.2.2', 'fd00::2'] });
  });

  it('falls back to `hostname -I` when ip is missing, and a hanging `hostname -f` leaves fqdn unknown', async () => {
    const c = linuxContext({ 'hostname -I': ok('10.1.2.3 \n'), 'hostname -f': 'timeout' }, files);
    const value = validValue('identity', await collectIdentity(c));
    expect(value.addresses).toEqual(['10.1.2.3']);
    expect(value.fqdn).toBeNull();
  });

  it('fails with a reason when no address source works', async () => {
    await expect(collectIdentity(linuxContext({}, files))).rejects.toThrow(FactError);
    await expect(collectIdentity(linuxContext({}, files))).rejects.toThrow(/ip -j address show/);
  });
});

describe('os-release', () => {
  it('parses Debian 12 as captured on this machine', () => {
    const value = osValueFromRelease(parseOsRelease(fixture('os/os-release-debian12')), '6.18.44-fc-v669', 'x86_64');
    expect(value).toMatchObject({ platform: 'linux', id: 'debian', name: 'Debian GNU/Linux', version: '12', kernel: '6.18.44-fc-v669', arch: 'x86_64' });
  });

  it('parses CentOS 7 (quoted values)', () => {
    const fields = parseOsRelease(fixture('os/os-release-centos7-jc'));
    expect(fields.ID).toBe('centos');
    expect(fields.PRETTY_NAME).toBe('CentOS Linux 7 (Core)');
    expect(osValueFromRelease(fields, null, null)).toMatchObject({ id: 'centos', version: '7', isServer: null });
  });

  it('refuses an os-release without ID', () => {
    expect(() => osValueFromRelease(parseOsRelease('NAME=x\n'), null, null)).toThrow(/no ID/);
  });

  it('collectOs reads the kernel from /proc and the arch from uname -m', async () => {
    const [release, uname] = [fixture('os/os-release-debian12'), fixture('os/uname-rm.txt')];
    const c = linuxContext({ 'uname -m': ok(`${uname.split(' ')[1]}`) }, { '/etc/os-release': release, '/proc/sys/kernel/osrelease': `${uname.split(' ')[0]}\n` });
    const value = validValue('os', await collectOs(c));
    expect(value).toMatchObject({ id: 'debian', kernel: '6.18.44-fc-v669', arch: 'x86_64' });
  });

  it('collectOs fails with a reason when os-release is missing or broken', async () => {
    await expect(collectOs(linuxContext({}, {}))).rejects.toThrow(/os-release/);
    await expect(collectOs(linuxContext({}, { '/etc/os-release': 'garbage' }))).rejects.toThrow(/no ID/);
  });
});

describe('hardware', () => {
  const system = JSON.parse(fixture('hardware/si-system-firecracker.json')) as { manufacturer: string; model: string; virtual: boolean };
  const chassis = JSON.parse(fixture('hardware/si-chassis-firecracker.json')) as { manufacturer: string; model: string; type: string };

  it('classifies this machine (/.dockerenv, systeminformation says Docker Container) as a container', () => {
    expect(classifyHardware({ system, chassis, containerMarker: '/.dockerenv' })).toEqual({ chassis: 'container', manufacturer: null, model: 'Docker Container', virtual: true });
  });

  it('maps SMBIOS chassis types and virtual machines', () => {
    const base = { manufacturer: 'LENOVO', model: '20XW', virtual: false };
    expect(classifyHardware({ system: base, chassis: { type: 'Notebook' }, containerMarker: null }).chassis).toBe('laptop');
    expect(classifyHardware({ system: base, chassis: { type: 'Rack Mount Chassis' }, containerMarker: null }).chassis).toBe('server');
    expect(classifyHardware({ system: base, chassis: { type: 'Mini Tower' }, containerMarker: null }).chassis).toBe('desktop');
    expect(classifyHardware({ system: base, chassis: { type: '' }, containerMarker: null }).chassis).toBe('unknown');
    expect(classifyHardware({ system: { ...base, virtual: true }, chassis: { type: 'Other' }, containerMarker: null }).chassis).toBe('virtual-machine');
  });

  it('collectHardware uses systeminformation and the container markers', async () => {
    const c = linuxContext({}, { '/.dockerenv': '' }, {}, { systemInfo: { system: async () => system, chassis: async () => chassis } });
    expect(validValue('hardware', await collectHardware(c)).chassis).toBe('container');
  });

  it('collectHardware turns a systeminformation failure into a FactError', async () => {
    const broken = { system: async () => Promise.reject(new Error('dmi unreadable')), chassis: async () => chassis };
    await expect(collectHardware(linuxContext({}, {}, {}, { systemInfo: broken }))).rejects.toThrow(/dmi unreadable/);
  });
});
