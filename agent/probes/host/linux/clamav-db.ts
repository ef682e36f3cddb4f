const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

function monthIndex(name: string): number {
  return MONTHS.indexOf(name.slice(0, 3).toLowerCase());
}

export interface ClamdVersion {
  engine: string;
  /** Version of the daily database; null when clamd loaded none named daily.*. */
  databaseVersion: string | null;
  databaseDate: Date | null;
}

/**
 * Parses clamd's VERSION reply: `ClamAV 1.4.6/27456/Fri Nov 13 09:12:00 2026`, or just
 * `ClamAV 1.4.6` when no daily database is loaded. clamd prints the date with ctime(3)
 * in its own local time zone; the probe runs on the same host, so local time is right.
 */
export function parseClamdVersion(reply: string): ClamdVersion | null {
  const match = /^ClamAV\s+([^/\s]+)(?:\/(\d+)\/(.+))?$/.exec(reply.trim());
  if (!match?.[1]) return null;
  let databaseDate: Date | null = null;
  const date = match[3] ? /^\w{3}\s+(\w{3})\s+(\d{1,2})\s+(\d{2}):(\d{2}):(\d{2})\s+(\d{4})$/.exec(match[3].trim()) : null;
  if (date?.[1] && monthIndex(date[1]) >= 0) {
    databaseDate = new Date(Number(date[6]), monthIndex(date[1]), Number(date[2]), Number(date[3]), Number(date[4]), Number(date[5]));
  }
  return { engine: match[1], databaseVersion: match[2] ?? null, databaseDate };
}

export interface CvdHeader {
  buildTime: Date;
  version: string;
  signatures: number;
  functionalityLevel: number;
  builder: string;
}

/** `13 Nov 2026 09-12 +0000`: the header's own build time field (minutes, with zone). */
function parseHeaderTime(text: string): Date | null {
  const match = /^(\d{1,2}) (\w{3}) (\d{4}) (\d{2})-(\d{2}) ([+-])(\d{2})(\d{2})$/.exec(text.trim());
  if (!match?.[2] || monthIndex(match[2]) < 0) return null;
  const utc = Date.UTC(Number(match[3]), monthIndex(match[2]), Number(match[1]), Number(match[4]), Number(match[5]));
  const offsetMinutes = (Number(match[7]) * 60 + Number(match[8])) * (match[6] === '-' ? -1 : 1);
  return new Date(utc - offsetMinutes * 60_000);
}

/**
 * Parses the 512-byte header of a .cvd/.cld/.cud database:
 * `ClamAV-VDB:<build time>:<version>:<sigs>:<flevel>:<md5>:<dsig>:<builder>:<stime>`,
 * padded with spaces. stime (seconds since the epoch) is preferred when present.
 */
export function parseCvdHeader(header: string): CvdHeader | null {
  const fields = header.replace(/\0/g, '').trim().split(':');
  if (fields[0] !== 'ClamAV-VDB' || fields.length < 8) return null;
  const [, time, version, sigs, flevel, , , builder, stime] = fields;
  const fromStime = stime && /^\d+$/.test(stime.trim()) ? new Date(Number(stime.trim()) * 1000) : null;
  const buildTime = fromStime ?? (time ? parseHeaderTime(time) : null);
  if (!buildTime || !version || !/^\d+$/.test(version)) return null;
  return {
    buildTime,
    version,
    signatures: Number(sigs) || 0,
    functionalityLevel: Number(flevel) || 0,
    builder: builder ?? '',
  };
}
