import { classifyPort } from '../../../../report/well-known-ports.js';
import type { Observation } from '../../fact.js';
import type { ProbeContext } from '../../probe.js';
import { parseOrFail, powershellSource, runNative, runPowerShell, withFallback } from './powershell.js';
import { isPsObject, parsePsJson, preview, prop, psInt, psObjects, psString, short, type PsObject } from './psjson.js';
import type { ListeningServicesValue, ListeningSocket } from './types.js';

export const LISTENING_SCRIPT =
  '$names=@{};Get-Process | ForEach-Object { $names[[int]$_.Id]=$_.ProcessName };' +
  '[pscustomobject]@{' +
  'Tcp=@(Get-NetTCPConnection -State Listen -ErrorAction SilentlyContinue | ForEach-Object { ' +
  '[pscustomobject]@{LocalAddress=$_.LocalAddress;LocalPort=$_.LocalPort;OwningProcess=$_.OwningProcess;Process=$names[[int]$_.OwningProcess]} });' +
  'Udp=@(Get-NetUDPEndpoint -ErrorAction SilentlyContinue | ForEach-Object { ' +
  '[pscustomobject]@{LocalAddress=$_.LocalAddress;LocalPort=$_.LocalPort;OwningProcess=$_.OwningProcess;Process=$names[[int]$_.OwningProcess]} })' +
  '} | ConvertTo-Json -Depth 4';
export const LISTENING_SOURCE = powershellSource('Get-NetTCPConnection -State Listen; Get-NetUDPEndpoint');
export const NETSTAT_ARGS = ['-ano'] as const;
export const NETSTAT_SOURCE = 'netstat -ano';

/** MSFT_NetTCPConnection.State: 2 is Listen. */
const TCP_LISTEN = 2;

export function isLoopback(address: string): boolean {
  return /^127\./.test(address) || address === '::1' || /^::ffff:127\./i.test(address);
}

function socket(protocol: 'tcp' | 'udp', address: string, port: number, pid: number | null, process: string | null): ListeningSocket {
  const { service, cleartext } = classifyPort(protocol, port);
  return {
    protocol,
    address: short(address),
    port,
    process: process === null ? null : short(process),
    pid,
    service,
    cleartext,
    loopbackOnly: isLoopback(address),
  };
}

function dedupe(sockets: ListeningSocket[]): ListeningSocket[] {
  const seen = new Set<string>();
  return sockets.filter((s) => {
    const key = `${s.protocol} ${s.address} ${s.port} ${s.pid ?? ''}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function endpoint(protocol: 'tcp' | 'udp', e: PsObject): ListeningSocket {
  const address = psString(prop(e, 'LocalAddress'));
  const port = psInt(prop(e, 'LocalPort'));
  if (address === null || port === null || port < 0 || port > 65535) throw new Error(`${protocol} endpoint without a valid LocalAddress/LocalPort`);
  return socket(protocol, address, port, psInt(prop(e, 'OwningProcess')), psString(prop(e, 'Process')));
}

/**
 * Parses the output of LISTENING_SCRIPT, or plain `Get-NetTCPConnection -State Listen |
 * ConvertTo-Json` (a list of TCP endpoints; entries in another state are skipped).
 */
export function parseListeningEndpoints(text: string): ListeningSocket[] {
  const root = parsePsJson(text);
  if (isPsObject(root) && ['Tcp', 'Udp'].some((k) => prop(root, k) !== undefined)) {
    return dedupe([
      ...psObjects(prop(root, 'Tcp'), 'Tcp').map((e) => endpoint('tcp', e)),
      ...psObjects(prop(root, 'Udp'), 'Udp').map((e) => endpoint('udp', e)),
    ]);
  }
  return dedupe(
    psObjects(root, 'Get-NetTCPConnection')
      .filter((e) => {
        const state = prop(e, 'State');
        return state === undefined || state === TCP_LISTEN || (typeof state === 'string' && state.toLowerCase() === 'listen');
      })
      .map((e) => endpoint('tcp', e)),
  );
}

/** "0.0.0.0:135" → ["0.0.0.0", 135]; "[::1]:8307" → ["::1", 8307]; "[fe80::1%9]:1900" → ["fe80::1", 1900]. */
function splitEndpoint(text: string): [string, number] | null {
  const match = /^\[?([^\]]*?)(?:%\d+)?\]?:(\d+|\*)$/.exec(text);
  if (!match || match[2] === '*') return null;
  return [match[1]!, Number(match[2])];
}

/**
 * Parses `netstat -ano`. The state column is translated ("LISTENING", "ABHÖREN", "LYSSNAR"),
 * so a TCP socket counts as listening when its foreign address is the wildcard
 * 0.0.0.0:0 or [::]:0, which netstat prints for listeners in every language.
 */
export function parseNetstat(text: string): ListeningSocket[] {
  const sockets: ListeningSocket[] = [];
  let sawHeader = false;
  for (const raw of text.split(/\r?\n/)) {
    const fields = raw.trim().split(/\s+/);
    const proto = fields[0]?.toUpperCase();
    if (proto !== 'TCP' && proto !== 'UDP') continue;
    sawHeader = true;
    const local = splitEndpoint(fields[1] ?? '');
    const pid = psInt(fields[fields.length - 1]);
    if (local === null || pid === null) throw new Error(`unexpected netstat line: ${preview(raw)}`);
    if (proto === 'TCP') {
      if (fields.length !== 5) throw new Error(`unexpected netstat line: ${preview(raw)}`);
      if (fields[2] !== '0.0.0.0:0' && fields[2] !== '[::]:0') continue;
      sockets.push(socket('tcp', local[0], local[1], pid, null));
    } else {
      sockets.push(socket('udp', local[0], local[1], pid, null));
    }
  }
  if (!sawHeader) throw new Error(`no TCP or UDP lines in the netstat output: ${preview(text)}`);
  return dedupe(sockets);
}

export async function collectListeningServices(ctx: ProbeContext): Promise<Observation<ListeningServicesValue>> {
  return withFallback(
    LISTENING_SOURCE,
    async () => {
      const out = await runPowerShell(ctx, LISTENING_SCRIPT, LISTENING_SOURCE);
      return { value: { sockets: parseOrFail(LISTENING_SOURCE, () => parseListeningEndpoints(out)).slice(0, 5000) }, source: LISTENING_SOURCE };
    },
    async () => {
      const { stdout } = await runNative(ctx, 'netstat.exe', NETSTAT_ARGS, NETSTAT_SOURCE);
      return { value: { sockets: parseOrFail(NETSTAT_SOURCE, () => parseNetstat(stdout)).slice(0, 5000) }, source: NETSTAT_SOURCE };
    },
  );
}
