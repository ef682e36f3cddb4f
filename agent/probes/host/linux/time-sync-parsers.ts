export interface TimeSyncState {
  synchronized: boolean | null;
  offsetSeconds: number | null;
  source: string | null;
  stratum: number | null;
}

function fields(text: string, separator: RegExp): Map<string, string> {
  const map = new Map<string, string>();
  for (const line of text.split('\n')) {
    const match = separator.exec(line);
    if (match?.[1] && match[2] !== undefined) map.set(match[1].trim().toLowerCase(), match[2].trim());
  }
  return map;
}

/** chronyd's reference id for its own clock (`local` directive), 127.127.1.1. */
const LOCAL_REFERENCE = '7F7F0101';

/** Parses `chronyc -n tracking`. The offset is the system clock minus NTP time. */
export function parseChronycTracking(text: string): TimeSyncState {
  const f = fields(text, /^([^:]+?)\s*:\s*(.*)$/);
  const reference = f.get('reference id');
  if (reference === undefined) throw new Error('chronyc tracking printed no "Reference ID" line');
  const refMatch = /^([0-9A-Fa-f]{8})\s*\(([^)]*)\)/.exec(reference);
  const refId = refMatch?.[1]?.toUpperCase() ?? '';
  const leap = f.get('leap status') ?? '';
  const stratum = Number(f.get('stratum'));
  const system = /^([\d.]+) seconds (fast|slow)/.exec(f.get('system time') ?? '');
  const offset = system?.[1] ? Number(system[1]) * (system[2] === 'slow' ? -1 : 1) : null;
  const unsynchronised = /not synchroni[sz]ed/i.test(leap) || refId === '00000000' || stratum === 0;
  return {
    synchronized: leap === '' ? null : !unsynchronised,
    offsetSeconds: unsynchronised ? null : offset,
    source: unsynchronised ? null : refId === LOCAL_REFERENCE ? 'local clock' : refMatch?.[2] || refId || null,
    stratum: Number.isInteger(stratum) && !unsynchronised ? stratum : null,
  };
}

const DURATION_UNITS: Record<string, number> = { ns: 1e-9, us: 1e-6, µs: 1e-6, ms: 1e-3, s: 1, min: 60 };

/** systemd prints offsets like `+316us`, `-1.204ms`, `0`. */
export function parseSystemdDuration(text: string): number | null {
  const match = /^([+-]?\d+(?:\.\d+)?)(ns|us|µs|ms|s|min)?$/.exec(text.trim());
  if (!match?.[1]) return null;
  return Number(match[1]) * (match[2] ? (DURATION_UNITS[match[2]] ?? 1) : 1);
}

/**
 * Parses `timedatectl timesync-status` (systemd-timesyncd). The reported stratum is the
 * server's; the host's is one more, as chrony and ntpq count it.
 */
export function parseTimesyncStatus(text: string): TimeSyncState {
  const f = fields(text, /^\s*([^:]+?)\s*:\s*(.*)$/);
  const server = f.get('server');
  if (server === undefined) throw new Error('timedatectl timesync-status printed no "Server" line');
  const leap = f.get('leap') ?? '';
  const packets = Number(f.get('packet count') ?? '0');
  const serverStratum = Number(f.get('stratum'));
  const synchronized = server !== '' && server !== 'n/a' && packets > 0 && !/not synchroni[sz]ed/i.test(leap);
  const name = /\(([^)]+)\)/.exec(server)?.[1] ?? server.split(/\s+/)[0] ?? null;
  return {
    synchronized,
    offsetSeconds: synchronized ? parseSystemdDuration(f.get('offset') ?? '') : null,
    source: synchronized ? name : null,
    stratum: synchronized && Number.isInteger(serverStratum) && serverStratum > 0 ? serverStratum + 1 : null,
  };
}

/**
 * Parses `ntpq -pn`: the line marked `*` is the system peer. Offsets are in milliseconds;
 * the host's stratum is the peer's plus one.
 */
export function parseNtpqPeers(text: string): TimeSyncState {
  const lines = text.split('\n');
  if (!lines.some((l) => /^\s*remote\s+refid/.test(l))) throw new Error('ntpq -p printed no peer table');
  for (const line of lines) {
    if (!line.startsWith('*')) continue;
    const cols = line.slice(1).trim().split(/\s+/);
    // remote refid st t when poll reach delay offset jitter
    if (cols.length < 10) continue;
    const stratum = Number(cols[2]);
    const offsetMs = Number(cols[8]);
    return {
      synchronized: true,
      offsetSeconds: Number.isFinite(offsetMs) ? offsetMs / 1000 : null,
      source: cols[0] ?? null,
      stratum: Number.isInteger(stratum) ? stratum + 1 : null,
    };
  }
  return { synchronized: false, offsetSeconds: null, source: null, stratum: null };
}
