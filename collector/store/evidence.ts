import type { Kysely, Transaction } from 'kysely';
import type { Fact, Report } from '../../report/schema.js';
import { readPath } from '../../rules/engine/evidence.js';
import type { Evidence } from '../../rules/engine/index.js';
import type { Database } from './schema.js';

/**
 * Evidence by reference. A finding judged from a report keeps only its evidence paths; the
 * values are read from that report's stored body, which never changes, so a finding shows
 * the facts as they were when it was judged, however the target's facts change later.
 * The values are read exactly as the rule engine reads them when it judges, and ingest
 * keeps a reference only when reading back gives the very same evidence (`referenceFor`).
 */

type Db = Kysely<Database> | Transaction<Database>;
export type TargetFacts = ReadonlyMap<string, Fact>;

const targetKey = (kind: string, id: string) => `${kind}\u0000${id}`;

/** A target's facts by name, as the rule engine sees them (a repeated name: the last one counts). */
export function factsByTarget(report: Pick<Report, 'targets'>): Map<string, TargetFacts> {
  const targets = new Map<string, TargetFacts>();
  for (const target of report.targets) targets.set(targetKey(target.kind, target.id), new Map(target.facts.map((f) => [f.name, f])));
  return targets;
}

/** The engine keeps the first 100 items of a list; a finding whose evidence reads back differently is kept inline. */
const MAX_LIST = 100;

/** One evidence item: the value at `path` (`host.antivirus.products`) in the target's facts. */
export function evidenceAt(path: string, facts: TargetFacts | undefined): Evidence {
  const [, name = '', ...keys] = path.split('.');
  const fact = facts?.get(name);
  if (!fact || fact.status !== 'ok') {
    return { path, value: null, source: fact?.source ?? null, collectedAt: fact?.collectedAt ?? null, status: fact?.status ?? 'missing' };
  }
  const value = readPath(fact.value, keys);
  const long = Array.isArray(value) && value.length > MAX_LIST;
  const evidence: Evidence = { path, value: value === undefined ? null : long ? value.slice(0, MAX_LIST) : value, source: fact.source, collectedAt: fact.collectedAt, status: 'ok' };
  if (long) evidence.omitted = value.length - MAX_LIST;
  return evidence;
}

/** The keys JSON.stringify writes: own enumerable keys whose value is not undefined, in order. */
function jsonKeys(o: Record<string, unknown>): string[] {
  const keys: string[] = [];
  for (const k in o) if (Object.hasOwn(o, k) && o[k] !== undefined) keys.push(k);
  return keys;
}

/** Whether two JSON-like values serialise to the same JSON text (same keys in the same order). */
function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if ('toJSON' in a || 'toJSON' in b) return JSON.stringify(a) === JSON.stringify(b);
  if (Array.isArray(a)) {
    const other = b as unknown[];
    if (a.length !== other.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameJson(a[i] ?? null, other[i] ?? null)) return false;
    return true;
  }
  const aKeys = jsonKeys(a as Record<string, unknown>);
  const bKeys = jsonKeys(b as Record<string, unknown>);
  if (aKeys.length !== bKeys.length) return false;
  for (let i = 0; i < aKeys.length; i++) {
    const k = aKeys[i]!;
    if (k !== bKeys[i] || !sameJson((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k])) return false;
  }
  return true;
}

/**
 * Reads evidence from one target's facts, once per path: the rules of a target share few
 * paths, and values read without crossing a list are the facts' own objects, so comparing
 * them with what the rule engine read is mostly a matter of identity.
 */
export class TargetEvidence {
  private readonly read = new Map<string, { evidence: Evidence; pathJson: string }>();

  constructor(
    readonly kind: string,
    private readonly facts: TargetFacts | undefined,
  ) {}

  private at(path: string): { evidence: Evidence; pathJson: string } {
    let entry = this.read.get(path);
    if (!entry) this.read.set(path, (entry = { evidence: evidenceAt(path, this.facts), pathJson: JSON.stringify(path) }));
    return entry;
  }

  /**
   * The paths to keep instead of `evidence` (as a JSON list), when reading every path back
   * from these facts gives the same items, value for value; null when it must be kept inline.
   */
  referenceFor(evidence: readonly unknown[]): string | null {
    if (evidence.length === 0 || !this.facts) return null;
    let json = '[';
    for (const [i, item] of evidence.entries()) {
      const path = (item as { path?: unknown } | null)?.path;
      if (typeof path !== 'string' || !path.startsWith(`${this.kind}.`)) return null;
      const entry = this.at(path);
      if (!sameJson(item, entry.evidence)) return null;
      json += (i === 0 ? '' : ',') + entry.pathJson;
    }
    return `${json}]`;
  }
}

/** What the store keeps of a finding's evidence: the values inline, or the paths to read them from. */
export interface StoredEvidence {
  evidence: string | null;
  evidence_paths: string | null;
}

export type EvidenceRow = StoredEvidence & { tenant_id: string; report_id: string | null; target_kind: string; target_id: string };

const REPORTS_PER_QUERY = 500;

/**
 * Resolves the evidence of stored findings: inline values are parsed, references are read
 * from the reports they name (each report body loaded and parsed once). Runs in the
 * caller's tenant scope; a report that is gone gives items with status `missing`.
 */
export async function resolveEvidence(db: Db, rows: readonly EvidenceRow[]): Promise<unknown[][]> {
  const referring = rows.filter((r) => r.evidence_paths !== null && r.report_id !== null);
  const reportIds = [...new Set(referring.map((r) => r.report_id as string))];
  const tenantIds = [...new Set(referring.map((r) => r.tenant_id))];
  const reports = new Map<string, Map<string, TargetFacts>>();
  for (let i = 0; i < reportIds.length; i += REPORTS_PER_QUERY) {
    const bodies = await db
      .selectFrom('reports')
      .select(['report_id', 'tenant_id', 'body'])
      .where('tenant_id', 'in', tenantIds)
      .where('report_id', 'in', reportIds.slice(i, i + REPORTS_PER_QUERY))
      .execute();
    for (const row of bodies) reports.set(`${row.tenant_id}\u0000${row.report_id}`, factsByTarget(JSON.parse(row.body) as Report));
  }
  // Findings of one target in one report share their items; they are read once.
  const cache = new Map<string, Evidence>();
  return rows.map((row) => {
    if (row.evidence_paths === null) return JSON.parse(row.evidence ?? '[]') as unknown[];
    // A finding only ever refers to a report of its own tenant.
    const facts = row.report_id === null ? undefined : reports.get(`${row.tenant_id}\u0000${row.report_id}`)?.get(targetKey(row.target_kind, row.target_id));
    return (JSON.parse(row.evidence_paths) as string[]).map((path) => {
      const key = `${row.tenant_id}\u0000${row.report_id}\u0000${targetKey(row.target_kind, row.target_id)}\u0000${path}`;
      let item = cache.get(key);
      if (!item) cache.set(key, (item = evidenceAt(path, facts)));
      return item;
    });
  });
}

/** Puts every referenced finding's values back inline (for migrating down to the old layout). */
export async function inlineAllEvidence(db: Kysely<Database>): Promise<void> {
  const keys = ['tenant_id', 'rule_id', 'target_kind', 'target_id'] as const;
  const rows = await db.selectFrom('findings').select([...keys, 'evidence', 'evidence_paths', 'report_id']).where('evidence_paths', 'is not', null).execute();
  const evidence = await resolveEvidence(db, rows);
  for (const [i, row] of rows.entries()) {
    let update = db.updateTable('findings').set({ evidence: JSON.stringify(evidence[i]), evidence_paths: null });
    for (const key of keys) update = update.where(key, '=', row[key]);
    await update.execute();
  }
}
