import { z } from 'zod';
import { InputFileError, parseYaml, readInputFile } from '../../common/yaml.js';
import { problemsWithPositions } from './problems.js';
import { OS_LIFECYCLE_FILE } from './paths.js';

/**
 * End-of-life dates of operating systems (rules/data/os-lifecycle.yaml) and the lookup
 * behind the rule function daysUntilEndOfLife(). The file's header explains the fields.
 */

const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date such as "2028-06-30"');
const editionClass = z.enum(['consumer', 'enterprise', 'ltsc', 'iot-ltsc']);
export type EditionClass = z.infer<typeof editionClass>;

const linuxMatch = z.strictObject({ os: z.string().regex(/^[a-z][a-z0-9._-]*$/), version: z.string().min(1) });
const windowsMatch = z.strictObject({
  os: z.literal('windows'),
  build: z.number().int().positive().optional(),
  buildBelow: z.number().int().positive().optional(),
  buildAtLeast: z.number().int().positive().optional(),
  server: z.boolean(),
  editions: z.array(editionClass).min(1).optional(),
});

const entrySchema = z.strictObject({
  product: z.string().min(1),
  match: z.union([windowsMatch, linuxMatch]),
  endOfLife: date,
  basis: z.string().min(1),
  regularSupportEnds: date.optional(),
  paidExtension: z.strictObject({ name: z.string().min(1), until: date }).optional(),
  note: z.string().optional(),
  source: z.url(),
});

const fileSchema = z.strictObject({ reviewed: date, entries: z.array(entrySchema).min(1) });

export type LifecycleEntry = z.infer<typeof entrySchema>;

const DAY_MS = 86_400_000;

export interface OsLifecycleTable {
  file: string;
  reviewed: string;
  entries: readonly LifecycleEntry[];
}

/** The parts of the host `os` fact the lookup uses. */
export interface OsDescriptor {
  id: string;
  version: string;
  build?: string | null;
  edition?: string | null;
  isServer?: boolean | null;
}

/** Thrown when an OS cannot be placed in the table; the rule result becomes unknown. */
export class LifecycleLookupError extends Error {
  override name = 'LifecycleLookupError';
}

export async function loadOsLifecycle(file: string = OS_LIFECYCLE_FILE): Promise<OsLifecycleTable> {
  const parsed = parseYaml(await readInputFile(file), file);
  const result = fileSchema.safeParse(parsed.value);
  if (!result.success) throw new InputFileError(file, problemsWithPositions(result.error, parsed));
  for (const [i, entry] of result.data.entries.entries()) {
    const m = entry.match;
    if (m.os === 'windows' && 'server' in m) {
      const hasBuild = m.build !== undefined;
      const hasRange = m.buildBelow !== undefined;
      if (hasBuild === hasRange) {
        throw new InputFileError(file, [
          { path: `entries[${i}].match`, message: 'give either build or buildBelow', line: parsed.lineOf(['entries', i, 'match']) },
        ]);
      }
      if (!m.server && !m.editions) {
        throw new InputFileError(file, [
          { path: `entries[${i}].match.editions`, message: 'client rows need editions', line: parsed.lineOf(['entries', i, 'match']) },
        ]);
      }
    }
  }
  return { file, reviewed: result.data.reviewed, entries: result.data.entries };
}

/** Maps a Windows EditionID ("EnterpriseS", "Professional") or caption to its servicing class. */
export function classifyWindowsEdition(edition: string | null | undefined): EditionClass | undefined {
  if (!edition) return undefined;
  const e = edition.trim();
  const ltsc = /\b(ltsc|ltsb)\b/i.test(e) || /^(iot)?enterprises[nk]?$/i.test(e);
  if (ltsc) return /iot/i.test(e) ? 'iot-ltsc' : 'ltsc';
  if (/pro(fessional)?\s*education|professionaleducation|workstation/i.test(e)) return 'consumer';
  if (/enterprise|education/i.test(e)) return 'enterprise';
  if (/home|core|pro(fessional)?\b|professional/i.test(e)) return 'consumer';
  return undefined;
}

function windowsBuild(os: OsDescriptor): number | undefined {
  const parts = os.version.split('.');
  const fromVersion = parts.length >= 3 ? Number(parts[2]) : NaN;
  if (Number.isInteger(fromVersion) && fromVersion > 0) return fromVersion;
  const fromBuild = os.build ? Number(os.build.split('.')[0]) : NaN;
  return Number.isInteger(fromBuild) && fromBuild > 0 ? fromBuild : undefined;
}

function linuxVersionKey(id: string, version: string): string {
  const parts = version.split('.');
  if (id === 'ubuntu') return parts.slice(0, 2).join('.');
  return parts[0] ?? version;
}

/** The result of a lookup: the rows that match, and the end-of-life date that applies. */
export interface LifecycleMatch {
  entries: LifecycleEntry[];
  /** The date used (YYYY-MM-DD). */
  endOfLife: string;
  /** "Windows 10 22H2 (EOL 2025-10-14)"; several rows joined with " / ". */
  label: string;
}

function endInstant(date: string): number {
  return Date.parse(`${date}T00:00:00Z`) + DAY_MS;
}

function candidates(table: OsLifecycleTable, os: OsDescriptor): LifecycleEntry[] {
  const id = os.id.trim().toLowerCase();
  if (id !== 'windows') {
    const key = linuxVersionKey(id, os.version.trim());
    const entry = table.entries.find((e) => !('server' in e.match) && e.match.os === id && e.match.version === key);
    if (!entry) {
      throw new LifecycleLookupError(
        `${id} ${os.version} finns inte i livscykeltabellen (not in the OS lifecycle table of ${table.reviewed})`,
      );
    }
    return [entry];
  }

  const build = windowsBuild(os);
  if (build === undefined) {
    throw new LifecycleLookupError(`Windows-versionen "${os.version}" saknar byggnummer (Windows version has no build number)`);
  }
  const rows = table.entries.filter((e) => {
    const m = e.match;
    if (!('server' in m)) return false;
    if (m.build !== undefined) return m.build === build;
    return build < (m.buildBelow ?? 0) && build >= (m.buildAtLeast ?? 0);
  });
  const edition = classifyWindowsEdition(os.edition);
  const matching = rows.filter((e) => {
    const m = e.match as z.infer<typeof windowsMatch>;
    if (os.isServer != null && m.server !== os.isServer) return false;
    if (m.server) return true;
    if (edition) return m.editions?.includes(edition) ?? false;
    // Edition not reported: LTSC is the exception, so use the general-availability rows.
    return m.editions?.some((c) => c === 'consumer' || c === 'enterprise') ?? false;
  });
  // Exact build rows win over range rows.
  const exact = matching.filter((e) => 'server' in e.match && e.match.build !== undefined);
  const chosen = exact.length > 0 ? exact : matching;
  if (chosen.length === 0) {
    throw new LifecycleLookupError(
      `Windows ${os.isServer ? 'Server ' : ''}build ${build}${os.edition ? ` (${os.edition})` : ''} finns inte i livscykeltabellen (not in the OS lifecycle table of ${table.reviewed})`,
    );
  }
  return chosen;
}

/**
 * The table rows for an OS and the end-of-life date that applies. When the facts do not
 * say enough to choose between rows with different dates (edition or isServer not
 * reported), the answer is still certain if every one of those dates is past at `now`:
 * then the latest is used. Otherwise it throws LifecycleLookupError (Swedish first,
 * English in parentheses), as it does when the OS is not in the table.
 */
export function matchLifecycle(table: OsLifecycleTable, os: OsDescriptor, now?: number): LifecycleMatch {
  const entries = candidates(table, os);
  const dates = [...new Set(entries.map((e) => e.endOfLife))].sort();
  const label = entries.map((e) => `${e.product} (EOL ${e.endOfLife})`).join(' / ');
  if (dates.length === 1) return { entries, endOfLife: dates[0]!, label };
  if (now !== undefined && dates.every((d) => endInstant(d) <= now)) return { entries, endOfLife: dates[dates.length - 1]!, label };
  const options = entries.map((e) => `${e.product}: ${e.endOfLife}`).join('; ');
  const server = os.isServer == null && entries.some((e) => 'server' in e.match && e.match.server);
  throw new LifecycleLookupError(
    server
      ? `kan inte avgöras utan att veta om datorn är en server; ${options} (cannot decide without isServer)`
      : `kan inte avgöras utan Windows-utgåvan; ${options} (cannot decide without the edition)`,
  );
}

/** Days from `now` until the end of the last supported day (UTC); negative once past. */
export function daysUntilEndOfLife(match: LifecycleMatch, now: number): number {
  return (endInstant(match.endOfLife) - now) / DAY_MS;
}
