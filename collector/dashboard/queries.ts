import { sql } from 'kysely';
import type { Store } from '../store/index.js';
import { inTenant } from '../store/tenant-scope.js';

/** Counts per rule, straight from SQL: the overview never loads every finding into memory. */
export interface RuleCount {
  ruleId: string;
  goals: string[];
  severity: string;
  pass: number;
  fail: number;
  unknown: number;
  notApplicable: number;
  /** Failing findings covered by an active waiver (also counted in `fail`). */
  waived: number;
}

/**
 * Per rule: findings by status, and how many failing ones an active waiver covers. The
 * waiver match is the one `waiverFor` applies: same rule, and the target kind and id equal or `*`.
 */
export async function ruleCounts(store: Store, tenantId: string, now: Date): Promise<RuleCount[]> {
  const at = now.toISOString();
  const [rows, waived] = await inTenant(store.db, tenantId, (db) => Promise.all([
    db
      .selectFrom('findings')
      .select(['rule_id', 'goals', 'severity', 'status', (eb) => eb.fn.countAll<number>().as('n')])
      .where('tenant_id', '=', tenantId)
      .groupBy(['rule_id', 'goals', 'severity', 'status'])
      .execute(),
    // Only failing rows are looked at here (the tenant+status index), each once, however many waivers match it.
    db
      .selectFrom('findings as f')
      .select(['f.rule_id', 'f.goals', 'f.severity', (eb) => eb.fn.countAll<number>().as('n')])
      .where('f.tenant_id', '=', tenantId)
      .where('f.status', '=', 'fail')
      .where(
        sql<boolean>`exists (
          select 1 from waivers w where w.tenant_id = f.tenant_id and w.rule_id = f.rule_id
            and w.revoked_at is null and w.expires_at > ${at}
            and (w.target_kind = '*' or (w.target_kind = f.target_kind and (w.target_id = '*' or w.target_id = f.target_id))))`,
      )
      .groupBy(['f.rule_id', 'f.goals', 'f.severity'])
      .execute(),
  ]));
  const byRule = new Map<string, RuleCount>();
  // Keyed by rule and goals: a finding keeps the goals its rule had when it was judged.
  const entryOf = (ruleId: string, goals: string, severity: string): RuleCount => {
    const key = `${ruleId}\u0000${goals}`;
    let entry = byRule.get(key);
    if (!entry) {
      entry = { ruleId, goals: JSON.parse(goals) as string[], severity, pass: 0, fail: 0, unknown: 0, notApplicable: 0, waived: 0 };
      byRule.set(key, entry);
    }
    return entry;
  };
  for (const row of rows) {
    const entry = entryOf(row.rule_id, row.goals, row.severity);
    const n = Number(row.n);
    if (row.status === 'pass') entry.pass += n;
    else if (row.status === 'fail') entry.fail += n;
    else if (row.status === 'unknown') entry.unknown += n;
    else entry.notApplicable += n;
  }
  for (const row of waived) entryOf(row.rule_id, row.goals, row.severity).waived += Number(row.n);
  return [...byRule.values()].sort((a, b) => a.ruleId.localeCompare(b.ruleId));
}

/** The counts summed per rule, whatever goals its findings carry. */
export function countsByRule(counts: readonly RuleCount[]): Map<string, RuleCount> {
  const merged = new Map<string, RuleCount>();
  for (const c of counts) {
    const m = merged.get(c.ruleId);
    if (!m) merged.set(c.ruleId, { ...c, goals: [...c.goals] });
    else {
      m.pass += c.pass;
      m.fail += c.fail;
      m.unknown += c.unknown;
      m.notApplicable += c.notApplicable;
      m.waived += c.waived;
    }
  }
  return merged;
}

/** Failing findings per target, for the targets page. */
export async function failingByTarget(store: Store, tenantId: string): Promise<Map<string, number>> {
  const rows = await inTenant(store.db, tenantId, (db) => db
    .selectFrom('findings')
    .select(['target_kind', 'target_id', (eb) => eb.fn.countAll<number>().as('n')])
    .where('tenant_id', '=', tenantId)
    .where('status', '=', 'fail')
    .groupBy(['target_kind', 'target_id'])
    .execute());
  return new Map(rows.map((r) => [`${r.target_kind}/${r.target_id}`, Number(r.n)]));
}

export interface TrendPoint {
  day: string;
  failing: number;
}

/**
 * Failing findings at the end of each day from `from` to `to` (inclusive, UTC days),
 * replayed from the history: every event into `fail` adds one, every event out of it
 * takes one away.
 */
export async function failingTrend(store: Store, tenantId: string, from: Date, to: Date): Promise<TrendPoint[]> {
  const rows = await inTenant(store.db, tenantId, (db) => db
    .selectFrom('finding_events')
    .select([
      sql<string>`substr(at, 1, 10)`.as('day'),
      sql<number>`sum(case when to_status = 'fail' and (from_status is null or from_status <> 'fail') then 1
                           when from_status = 'fail' and to_status <> 'fail' then -1 else 0 end)`.as('delta'),
    ])
    .where('tenant_id', '=', tenantId)
    .where('at', '<', new Date(to.getTime() + 86_400_000).toISOString().slice(0, 10))
    .groupBy(sql`substr(at, 1, 10)`)
    .orderBy(sql`substr(at, 1, 10)`)
    .execute());
  const startDay = from.toISOString().slice(0, 10);
  let running = 0;
  let index = 0;
  for (; index < rows.length && rows[index]!.day < startDay; index++) running += Number(rows[index]!.delta);
  const points: TrendPoint[] = [];
  for (let t = Date.parse(startDay); t <= to.getTime(); t += 86_400_000) {
    const day = new Date(t).toISOString().slice(0, 10);
    while (index < rows.length && rows[index]!.day <= day) running += Number(rows[index++]!.delta);
    // Days before anything was ever judged have no data; they are left out rather than drawn as zero.
    if (index === 0) continue;
    points.push({ day, failing: running });
  }
  return points;
}

/** One finding's history, newest first. */
export async function findingHistory(store: Store, tenantId: string, ruleId: string, targetKind: string, targetId: string) {
  return inTenant(store.db, tenantId, (db) => db
    .selectFrom('finding_events')
    .select(['from_status', 'to_status', 'at', 'kind'])
    .where('tenant_id', '=', tenantId)
    .where('rule_id', '=', ruleId)
    .where('target_kind', '=', targetKind)
    .where('target_id', '=', targetId)
    .orderBy('id', 'desc')
    .limit(200)
    .execute());
}

export async function targetFacts(store: Store, tenantId: string, kind: string, id: string) {
  return inTenant(store.db, tenantId, (db) => db
    .selectFrom('facts')
    .select(['name', 'status', 'source', 'collected_at', 'value', 'reason'])
    .where('tenant_id', '=', tenantId)
    .where('target_kind', '=', kind)
    .where('target_id', '=', id)
    .orderBy('name')
    .execute());
}
