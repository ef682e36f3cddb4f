import { classifyPort } from '../../../../report/well-known-ports.js';
import type { Observation } from '../../fact.js';
import { FactError } from '../../fact.js';
import type { LinuxContext } from './context.js';
import { failure, tryRun } from './run.js';

export interface ListeningSocket {
  protocol: 'tcp' | 'udp';
  address: string;
  port: number;
  process: string | null;
  pid: number | null;
  service: string | null;
  cleartext: boolean;
  loopbackOnly: boolean;
}

export interface ListeningServicesValue {
  sockets: ListeningSocket[];
}

/** Splits `ss` local addresses: `0.0.0.0:23`, `[::1]:5900`, `*:443`, `127.0.0.53%lo:53`. */
export function splitAddress(text: string): { address: string; scope: string | null; port: number } | null {
  const match = /^(?:\[([^\]]+)\]|(.*)):(\d+|\*)$/.exec(text);
  if (!match || match[3] === '*') return null;
  const raw = match[1] ?? match[2] ?? '';
  const [address = raw, scope = null] = raw.split('%') as [string, string?];
  return { address, scope: scope ?? null, port: Number(match[3]) };
}

export function isLoopback(address: string, scope: string | null): boolean {
  if (scope === 'lo') return true;
  const a = address.toLowerCase();
  return a.startsWith('127.') || a === '::1' || a.startsWith('::ffff:127.');
}

/** Parses `ss -H -tulpn`: Netid State Recv-Q Send-Q Local Peer [Process]. */
export function parseSs(text: string): ListeningSocket[] {
  const sockets: ListeningSocket[] = [];
  for (const line of text.split('\n')) {
    const fields = line.trim().split(/\s+/);
    if (fields.length < 6) continue;
    const [netid, , , , local, , ...rest] = fields;
    if (netid !== 'tcp' && netid !== 'udp') continue;
    const parsed = local ? splitAddress(local) : null;
    if (!parsed) continue;
    const users = /users:\(\("((?:[^"\\]|\\.)*)",pid=(\d+)/.exec(rest.join(' '));
    const known = classifyPort(netid, parsed.port);
    sockets.push({
      protocol: netid,
      address: parsed.address === '*' ? (local?.startsWith('[') ? '::' : '*') : parsed.address,
      port: parsed.port,
      process: users?.[1]?.slice(0, 256) ?? null,
      pid: users?.[2] ? Number(users[2]) : null,
      service: known.service,
      cleartext: known.cleartext,
      loopbackOnly: isLoopback(parsed.address, parsed.scope),
    });
  }
  return sockets;
}

export async function collectListeningServices(c: LinuxContext): Promise<Observation<ListeningServicesValue>> {
  const args = ['-H', '-tulpn'];
  const source = 'ss -H -tulpn';
  const result = await tryRun(c, 'ss', args);
  if (result === null) throw new FactError('ss (iproute2) is not installed', source);
  if (result.code !== 0) throw new FactError(failure('ss', args, result), source);
  return { value: { sockets: parseSs(result.stdout).slice(0, 5000) }, source };
}
