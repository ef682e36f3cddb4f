import { Kysely, Migrator, sql, type Migration } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Evaluator } from '../../../collector/evaluate/evaluator.js';
import { openPostgres } from '../../../collector/store/postgres.js';
import { openSqlite } from '../../../collector/store/sqlite.js';
import { Store, type FindingInput } from '../../../collector/store/index.js';
import type { Database } from '../../../collector/store/schema.js';
import { inTenant } from '../../../collector/store/tenant-scope.js';
import * as m001 from '../../../collector/store/migrations/001-initial.js';
import * as m002 from '../../../collector/store/migrations/002-lifecycle-users-waivers.js';
import * as m003 from '../../../collector/store/migrations/003-alerts.js';
import * as m004 from '../../../collector/store/migrations/004-row-level-security.js';
import * as m005 from '../../../collector/store/migrations/005-audit-append-only.js';
import * as m006 from '../../../collector/store/migrations/006-overview-indexes.js';
import * as m007 from '../../../collector/store/migrations/007-findings-by-target.js';
import * as m008 from '../../../collector/store/migrations/008-findings-by-reference.js';
import type { Report } from '../../../report/schema.js';
import { BUNDLED_RULE_DIRS, loadRules } from '../../../rules/engine/index.js';
import { hostReport } from '../../support/reports.js';
import { disposeServersAfterAll, drivers, freshConfig } from './drivers.js';

disposeServersAfterAll();

const MIGRATIONS: Record<string, Migration> = {
  '001-initial': m001,
  '002-lifecycle-users-waivers': m002,
  '003-alerts': m003,
  '004-row-level-security': m004,
  '005-audit-append-only': m005,
  '006-overview-indexes': m006,
  '007-findings-by-target': m007,
  '008-findings-by-reference': m008,
};

function migrator(db: Kysely<Database>): Migrator {
  return new Migrator({ db, provider: { getMigrations: async () => MIGRATIONS }, migrationTableName: 'basvakt_migrations', migrationLockTableName: 'basvakt_migrations_lock' });
}

async function migrateTo(db: Kysely<Database>, name: string): Promise<void> {
  const { error } = await migrator(db).migrateTo(name);
  if (error) throw error;
}

const AT = new Date('2026-11-23T08:00:00.000Z');
const LATER = new Date('2026-11-23T09:00:00.000Z');

async function indexNames(db: Kysely<Database>, postgres: boolean): Promise<string[]> {
  const rows = postgres
    ? await sql<{ name: string }>`select indexname as name from pg_indexes where tablename in ('findings', 'finding_events')`.execute(db)
    : await sql<{ name: string }>`select name from sqlite_master where type = 'index' and tbl_name in ('findings', 'finding_events')`.execute(db);
  return rows.rows.map((r) => r.name).sort();
}

/** Rows as the collector wrote them before 008: evidence values inline, one event per finding. */
async function writeOldLayout(db: Kysely<Database>, report: Report, findings: FindingInput[]): Promise<void> {
  const at = AT.toISOString();
  await db.insertInto('tenants').values([{ id: 'amal', name: 'Åmåls kommun', created_at: at }, { id: 'bengtsfors', name: 'Bengtsfors kommun', created_at: at }]).execute();
  await db.insertInto('agents').values({ id: report.agent.id, tenant_id: 'amal', hostname: 'h', secret_hash: 'x', version: '1', enrolled_at: at, last_seen_at: at, revoked_at: null }).execute();
  await db.insertInto('reports').values({ report_id: report.reportId, tenant_id: 'amal', agent_id: report.agent.id, created_at: at, received_at: at, body: JSON.stringify(report) }).execute();
  const target = report.targets[0]!;
  await db.insertInto('targets').values({ tenant_id: 'amal', kind: target.kind, id: target.id, name: target.name, agent_id: report.agent.id, last_report_id: report.reportId, last_seen_at: at }).execute();
  for (const f of findings) {
    const row = {
      tenant_id: 'amal', rule_id: f.ruleId, target_kind: f.targetKind, target_id: f.targetId, target_name: f.targetName, status: f.status, reason: f.reason ?? null,
      subjects: JSON.stringify(f.subjects), evidence: JSON.stringify(f.evidence), params: JSON.stringify(f.params), severity: f.severity, goals: JSON.stringify(f.goals),
      first_seen_at: at, status_since: at, last_evaluated_at: at, report_id: report.reportId, resolved_at: null,
    };
    await db.insertInto('findings').values(row as never).execute();
    await db.insertInto('finding_events').values({ tenant_id: 'amal', rule_id: f.ruleId, target_kind: f.targetKind, target_id: f.targetId, from_status: null, to_status: f.status, at, report_id: report.reportId, kind: f.status === 'fail' ? 'new' : null }).execute();
  }
}

describe.each(drivers)('migration 008 on %s, on a store written by the old layout', (driver) => {
  let db: Kysely<Database>;
  let store: Store;
  let evaluator: Evaluator;
  let report: Report;
  let oldFindings: FindingInput[];
  const postgres = driver === 'postgres';

  beforeAll(async () => {
    const config = await freshConfig(driver);
    db = config.driver === 'postgres' ? openPostgres(config) : openSqlite(config.path);
    evaluator = new Evaluator(await loadRules(BUNDLED_RULE_DIRS));
    await migrateTo(db, '007-findings-by-target');
    report = hostReport('agt_old');
    oldFindings = evaluator.evaluateReport(report, AT);
    await writeOldLayout(db, report, oldFindings);
    await migrateTo(db, '008-findings-by-reference');
    store = new Store(db);
  }, 60_000);
  afterAll(async () => store?.close());

  it('keeps every finding, its evidence inline and its history, and drops the indexes the new key makes redundant', async () => {
    const rows = await store.listFindings('amal');
    expect(rows.map((r) => [r.rule_id, r.status, r.evidence])).toEqual(
      oldFindings.map((f) => [f.ruleId, f.status, f.evidence]).sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
    );
    expect(await db.selectFrom('findings').select('evidence_paths').where('evidence_paths', 'is not', null).execute()).toEqual([]);
    expect(await db.selectFrom('finding_events').select('id').execute()).toHaveLength(oldFindings.length);
    const indexes = await indexNames(db, postgres);
    expect(indexes).toEqual(expect.arrayContaining(['findings_overview', 'findings_tenant_status', 'finding_events_trend']));
    expect(indexes).not.toContain('findings_by_target');
    expect(indexes).not.toContain('finding_events_tenant_at');
  });

  it('moves a finding to evidence by reference when its target reports again, without a new event when nothing changed', async () => {
    const next = { ...hostReport('agt_old'), reportId: crypto.randomUUID() };
    const findings = evaluator.evaluateReport(next, LATER);
    expect(await store.storeReport({ tenantId: 'amal', agentId: 'agt_old', report: next, receivedAt: LATER, findings })).toBe('accepted');
    const stored = await db.selectFrom('findings').select(['rule_id', 'evidence', 'evidence_paths', 'report_id', 'status_since']).execute();
    for (const row of stored) expect(row).toMatchObject({ evidence: null, report_id: next.reportId, status_since: AT.toISOString() });
    for (const row of await store.listFindings('amal')) expect(row.evidence).toEqual(findings.find((f) => f.ruleId === row.rule_id)!.evidence);
    expect(await db.selectFrom('finding_events').select('id').execute()).toHaveLength(oldFindings.length);
  });

  it('keeps other tenants out of the migrated findings: row-level security on PostgreSQL, the scoped queries on SQLite', async () => {
    expect(await store.listFindings('bengtsfors')).toEqual([]);
    // A query without a tenant condition: PostgreSQL's policies still hide amal's rows; SQLite
    // has no policies, so there the store's own conditions (above) are the only guard.
    const unscoped = await inTenant(db, 'bengtsfors', (trx) => trx.selectFrom('findings').select('tenant_id').execute());
    expect(unscoped.length).toBe(postgres ? 0 : oldFindings.length);
    if (postgres) {
      await expect(inTenant(db, 'bengtsfors', (trx) => trx.updateTable('findings').set({ status: 'pass' }).execute())).resolves.toBeDefined();
      expect(new Set((await store.listFindings('amal')).map((r) => r.status))).not.toEqual(new Set(['pass']));
    }
  });

  it('migrates down again with every value put back inline', async () => {
    const before = await store.listFindings('amal');
    await migrateTo(db, '007-findings-by-target');
    const rows = await db.selectFrom('findings').select(['rule_id', 'evidence']).orderBy('rule_id').execute();
    expect(rows.map((r) => [r.rule_id, JSON.parse(r.evidence ?? 'null')])).toEqual(before.map((r) => [r.rule_id, r.evidence]));
    expect(await indexNames(db, postgres)).toEqual(expect.arrayContaining(['findings_by_target', 'finding_events_tenant_at']));
    await migrateTo(db, '008-findings-by-reference');
  });
});
