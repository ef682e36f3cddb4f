/**
 * Decoding of directory values. AD intervals and FILETIME timestamps exceed 2^53, so they
 * are parsed as BigInt and only turned into days or dates at the end (BITS.md §4).
 */

/** A value the directory returned that is not what its attribute's syntax promises. */
export class DecodeError extends Error {
  constructor(readonly attribute: string, value: string, expected: string) {
    super(`${attribute}: ogiltigt värde ${JSON.stringify(value.slice(0, 64))}, förväntade ${expected} (invalid value)`);
    this.name = 'DecodeError';
  }
}

/** AD's "never" for intervals: 0x8000000000000000 as a signed 64-bit value. */
export const INTERVAL_NEVER = -9223372036854775808n;
const INT64_MAX = 9223372036854775807n;
const TICKS_PER_MINUTE = 600_000_000n;
const TICKS_PER_DAY = 864_000_000_000n;
/** 100-ns ticks between 1601-01-01 and 1970-01-01. */
const FILETIME_UNIX_EPOCH = 116_444_736_000_000_000n;

export function parseInteger(attribute: string, value: string): bigint {
  if (!/^-?\d{1,20}$/.test(value.trim())) throw new DecodeError(attribute, value, 'ett heltal (an integer)');
  const parsed = BigInt(value.trim());
  if (parsed < INTERVAL_NEVER || parsed > INT64_MAX) throw new DecodeError(attribute, value, 'ett 64-bitars heltal (a 64-bit integer)');
  return parsed;
}

/** A small non-negative count (length, history, threshold). */
export function parseCount(attribute: string, value: string): number {
  const parsed = parseInteger(attribute, value);
  if (parsed < 0n || parsed > 1_000_000n) throw new DecodeError(attribute, value, 'ett antal mellan 0 och 1000000 (a count)');
  return Number(parsed);
}

/** A non-negative number of seconds (OpenLDAP ppolicy durations, at most 2^31 − 1). */
export function parseSeconds(attribute: string, value: string): number {
  const parsed = parseInteger(attribute, value);
  if (parsed < 0n || parsed > 2_147_483_647n) throw new DecodeError(attribute, value, 'ett antal sekunder (seconds)');
  return Number(parsed);
}

function ticksTo(attribute: string, raw: string, unit: bigint): number | null {
  const ticks = parseInteger(attribute, raw);
  // AD stores intervals as negative tick counts; 0 and the minimum value both mean "never".
  if (ticks === INTERVAL_NEVER || ticks === 0n) return null;
  if (ticks > 0n) throw new DecodeError(attribute, raw, 'ett negativt intervall (a negative interval)');
  const magnitude = -ticks;
  // Whole units as BigInt, the remainder as a fraction: exact for every representable value.
  return Number(magnitude / unit) + Number(magnitude % unit) / Number(unit);
}

/** An AD interval in days; null for "never" (maxPwdAge, msDS-MaximumPasswordAge). */
export function intervalDays(attribute: string, raw: string): number | null {
  return ticksTo(attribute, raw, TICKS_PER_DAY);
}

/** An AD interval in minutes; null for "never" (lockoutDuration: until an administrator unlocks). */
export function intervalMinutes(attribute: string, raw: string): number | null {
  return ticksTo(attribute, raw, TICKS_PER_MINUTE);
}

/** A FILETIME (100 ns since 1601-01-01 UTC); null for 0 and 0x7FFFFFFFFFFFFFFF ("never" / not set). */
export function fileTime(attribute: string, raw: string): Date | null {
  const ticks = parseInteger(attribute, raw);
  if (ticks === 0n || ticks === INT64_MAX || ticks === -1n) return null;
  if (ticks < 0n) throw new DecodeError(attribute, raw, 'en tidpunkt (FILETIME)');
  const ms = (ticks - FILETIME_UNIX_EPOCH) / 10_000n;
  const date = new Date(Number(ms));
  if (Number.isNaN(date.getTime())) throw new DecodeError(attribute, raw, 'en tidpunkt (FILETIME)');
  return date;
}

/** The inverse, for tests and fixtures. */
export function toFileTime(date: Date): bigint {
  return BigInt(date.getTime()) * 10_000n + FILETIME_UNIX_EPOCH;
}

/** LDAP GeneralizedTime: 20261123051433Z, 20261123051433.0Z, 20261123051433.123+0100. */
export function generalizedTime(attribute: string, raw: string): Date {
  // Fast path for the form nearly every server writes (YYYYMMDDHHMMSSZ): no regex per entry.
  if (raw.length === 15 && raw.charCodeAt(14) === 90 /* Z */ && /^\d{14}$/.test(raw.slice(0, 14))) {
    const month = +raw.slice(4, 6);
    const ms = Date.UTC(+raw.slice(0, 4), month - 1, +raw.slice(6, 8), +raw.slice(8, 10), +raw.slice(10, 12), +raw.slice(12, 14));
    if (month >= 1 && month <= 12 && !Number.isNaN(ms)) return new Date(ms);
    throw new DecodeError(attribute, raw, 'GeneralizedTime');
  }
  const m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})?(\d{2})?(?:[.,](\d+))?(Z|[+-]\d{4})$/.exec(raw.trim());
  if (!m) throw new DecodeError(attribute, raw, 'GeneralizedTime (YYYYMMDDHHMMSSZ)');
  const [, y, mo, d, h, mi = '00', s = '00', frac = '0', zone] = m;
  const fraction = Number(`0.${frac}`);
  let ms = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s)) + Math.round(fraction * 1000);
  if (zone !== 'Z') {
    const sign = zone!.startsWith('-') ? -1 : 1;
    ms -= sign * (Number(zone!.slice(1, 3)) * 60 + Number(zone!.slice(3, 5))) * 60_000;
  }
  const date = new Date(ms);
  if (Number.isNaN(date.getTime()) || Number(mo) < 1 || Number(mo) > 12) throw new DecodeError(attribute, raw, 'GeneralizedTime');
  return date;
}

export function parseBoolean(attribute: string, raw: string): boolean {
  const v = raw.trim().toUpperCase();
  if (v === 'TRUE') return true;
  if (v === 'FALSE') return false;
  throw new DecodeError(attribute, raw, 'TRUE eller FALSE');
}

/** Binary objectSid → S-1-5-21-…; null when it is not a well-formed SID. */
export function sidToString(buffer: Buffer): string | null {
  if (buffer.length < 8) return null;
  const revision = buffer[0]!;
  const subCount = buffer[1]!;
  if (buffer.length !== 8 + subCount * 4) return null;
  const authority = buffer.readUIntBE(2, 6);
  const parts = [`S-${revision}-${authority}`];
  for (let i = 0; i < subCount; i++) parts.push(String(buffer.readUInt32LE(8 + i * 4)));
  return parts.join('-');
}

export function daysBetween(earlier: Date, later: Date): number {
  return Math.max(0, Math.floor((later.getTime() - earlier.getTime()) / 86_400_000));
}

/** The value of the first RDN: CN=Domain Admins,CN=Users,… → Domain Admins. */
export function rdnValue(dn: string): string {
  const m = /^[^=]+=((?:\\.|[^,\\])*)/.exec(dn);
  return m ? m[1]!.replace(/\\(.)/g, '$1') : dn;
}
