import type { Observation } from '../../fact.js';
import type { ProbeContext } from '../../probe.js';
import { parseOrFail, runNative } from './powershell.js';
import { preview, short } from './psjson.js';
import type { TimeSyncValue } from './types.js';

export const W32TM_ARGS = ['/query', '/status'] as const;
export const W32TM_SOURCE = 'w32tm /query /status';

/** HRESULT printed (in every language) when the Windows Time service is not running. */
const SERVICE_NOT_STARTED = '0x80070426';

/** Sources that mean the clock is not being disciplined by anything outside the host. */
const LOCAL_CLOCKS = /^(local cmos clock|free-running system clock|vm ic time synchronization provider)$/i;

/**
 * The lines of `w32tm /query /status` in the order w32tm prints them. Keys and numbers
 * are translated (German: "Stratum: 4 (Sekundärreferenz …)", "0,0038147s"), the order is
 * not, so a non-English output is read by position.
 */
const STATUS_KEYS = [
  'leap indicator',
  'stratum',
  'precision',
  'root delay',
  'root dispersion',
  'referenceid',
  'last successful sync time',
  'source',
  'poll interval',
  'phase offset',
] as const;

function leadingNumber(value: string | undefined): number | null {
  if (value === undefined) return null;
  const match = /^[-+]?\d+(?:[.,]\d+)?/.exec(value.trim());
  return match ? Number(match[0].replace(',', '.')) : null;
}

/** Parses `w32tm /query /status` (and `/status /verbose`, whose first lines are the same). */
export function parseW32tmStatus(text: string): TimeSyncValue {
  if (text.includes(SERVICE_NOT_STARTED)) {
    return { service: 'w32time', synchronized: false, offsetSeconds: null, source: null, stratum: null };
  }
  const pairs: [string, string][] = [];
  for (const raw of text.split(/\r?\n/)) {
    const colon = raw.indexOf(':');
    if (colon <= 0) continue;
    pairs.push([raw.slice(0, colon).trim().toLowerCase(), raw.slice(colon + 1).trim()]);
  }
  const byKey = new Map(pairs);
  let field: (key: (typeof STATUS_KEYS)[number]) => string | undefined;
  if (byKey.has('leap indicator') && byKey.has('stratum')) {
    field = (key) => byKey.get(key);
  } else if (pairs.length >= STATUS_KEYS.length) {
    field = (key) => pairs[STATUS_KEYS.indexOf(key)]?.[1];
  } else {
    throw new Error(`not the output of w32tm /query /status: ${preview(text)}`);
  }

  const leap = leadingNumber(field('leap indicator'));
  const stratum = leadingNumber(field('stratum'));
  if (leap === null || stratum === null || !Number.isInteger(stratum)) throw new Error(`no Leap Indicator or Stratum in: ${preview(text)}`);
  // "time.windows.com,0x9": the suffix is the peer's mode flags.
  const rawSource = field('source')?.replace(/,0x[0-9a-f]+$/i, '').trim() ?? null;
  const localClock = rawSource !== null && LOCAL_CLOCKS.test(rawSource);
  const offset = leadingNumber(field('phase offset'));
  return {
    service: 'w32time',
    // Leap indicator 3 means "not synchronized"; stratum 0 is "unspecified" and 16 "unsynchronized".
    synchronized: leap !== 3 && stratum >= 1 && stratum <= 15 && !localClock,
    offsetSeconds: offset,
    source: rawSource === null || rawSource === '' ? null : short(rawSource),
    stratum,
  };
}

export async function collectTimeSync(ctx: ProbeContext): Promise<Observation<TimeSyncValue>> {
  // w32tm exits with the HRESULT when the service is stopped; that output is still an answer.
  const result = await runNative(ctx, 'w32tm.exe', W32TM_ARGS, W32TM_SOURCE, { okCodes: [0, -2147023834, 2147943462] });
  return { value: parseOrFail(W32TM_SOURCE, () => parseW32tmStatus(result.stdout + result.stderr)), source: W32TM_SOURCE };
}
