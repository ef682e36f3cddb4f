import type { Observation } from '../../fact.js';
import { FactError } from '../../fact.js';
import type { LinuxContext } from './context.js';
import { readIfReadable, readOptional, tryRun } from './run.js';

export interface IdentityValue {
  hostname: string;
  fqdn: string | null;
  machineId: string | null;
  addresses: string[];
}

/** A machine id is 32 lower-case hex digits (machine-id(5)); anything else is not trusted. */
export function parseMachineId(text: string): string | null {
  const id = text.trim();
  return /^[0-9a-f]{32}$/.test(id) ? id : null;
}

/** `hostname -f` prints the short name when the name does not resolve to a domain. */
export function parseFqdn(text: string): string | null {
  const name = text.trim().split(/\s+/)[0] ?? '';
  return name.includes('.') && !name.endsWith('.localdomain') ? name : null;
}

interface IpAddrInfo {
  family?: string;
  local?: string;
  scope?: string;
}

/** Addresses other hosts could reach this host at: no loopback, no link-local. */
function isRoutable(address: string): boolean {
  const a = address.toLowerCase();
  if (a.startsWith('127.') || a === '::1' || a.startsWith('169.254.')) return false;
  return !/^fe[89ab][0-9a-f]:/.test(a);
}

/** Parses `ip -j address show`. */
export function parseIpAddressJson(text: string): string[] {
  const links = JSON.parse(text) as Array<{ addr_info?: IpAddrInfo[] }>;
  if (!Array.isArray(links)) throw new Error('ip -j address show did not print a JSON array');
  const addresses: string[] = [];
  for (const link of links) {
    for (const info of link.addr_info ?? []) {
      if (info.local && info.scope !== 'host' && info.scope !== 'link' && isRoutable(info.local)) addresses.push(info.local);
    }
  }
  return [...new Set(addresses)];
}

/** Parses `hostname -I`: space-separated addresses. */
export function parseHostnameI(text: string): string[] {
  return [...new Set(text.trim().split(/\s+/).filter((a) => a !== '' && isRoutable(a)))];
}

async function readHostname(c: LinuxContext): Promise<{ hostname: string; source: string }> {
  for (const path of ['/proc/sys/kernel/hostname', '/etc/hostname']) {
    const text = await readIfReadable(c, path);
    const name = text?.trim();
    if (name) return { hostname: name, source: path };
  }
  throw new FactError('the host name could not be read from /proc/sys/kernel/hostname or /etc/hostname', '/proc/sys/kernel/hostname');
}

async function readMachineId(c: LinuxContext): Promise<string | null> {
  for (const path of ['/etc/machine-id', '/var/lib/dbus/machine-id']) {
    const text = await readOptional(c, path);
    if (text !== null) return parseMachineId(text);
  }
  return null;
}

async function readAddresses(c: LinuxContext): Promise<{ addresses: string[]; source: string }> {
  const ip = await tryRun(c, 'ip', ['-j', 'address', 'show']);
  if (ip && ip.code === 0) {
    try {
      return { addresses: parseIpAddressJson(ip.stdout), source: 'ip -j address show' };
    } catch {
      // Old iproute2 without JSON output: fall through to hostname -I.
    }
  }
  const fallback = await tryRun(c, 'hostname', ['-I']);
  if (fallback && fallback.code === 0) return { addresses: parseHostnameI(fallback.stdout), source: 'hostname -I' };
  throw new FactError('neither `ip -j address show` nor `hostname -I` listed the addresses', 'ip -j address show');
}

export async function collectIdentity(c: LinuxContext): Promise<Observation<IdentityValue>> {
  const [{ hostname, source }, machineId, fqdnRun, { addresses, source: addressSource }] = await Promise.all([
    readHostname(c),
    readMachineId(c),
    // A failing name lookup leaves fqdn unknown; it does not fail the fact.
    tryRun(c, 'hostname', ['-f']).catch(() => null),
    readAddresses(c),
  ]);
  const fqdn = fqdnRun && fqdnRun.code === 0 ? parseFqdn(fqdnRun.stdout) : null;
  return {
    value: { hostname, fqdn, machineId, addresses: addresses.slice(0, 256) },
    source: `${source}, hostname -f, /etc/machine-id, ${addressSource}`,
  };
}
