import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql, type Transaction } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Evaluator } from '../../../collector/evaluate/evaluator.js';
import { findingState } from '../../../collector/lifecycle/view.js';
import { openStore, type Store } from '../../../collector/store/index.js';
import type { Database } from '../../../collector/store/schema.js';
import type { Report } from '../../../report/schema.js';
import { BUNDLED_RULE_DIRS, loadRules } from '../../../rules/engine/index.js';
import { storeWithAgent } from '../../support/collector.js';
import { hostReport, okFact } from '../../support/reports.js';
import { disposeServersAfterAll, drivers, freshConfig } from './drivers.js';

disposeServersAfterAll();

const T1 = new Date('2026-11-23T08:00:00.000Z');
const T2 = new Date('2026-11-23T09:00:00.000Z');
const T3 = new Date('2026-11-23T10:00:00.000Z');

/** web01 with ClamAV, running or not, at a given signature version. */
function report(agentId: string, running: boolean, signatureVersion: string): Report {
  const antivirus = okFact('antivirus', {
    products: [{ name: 'ClamAV', kind: 'clamav', installed: true, running, realTimeProtection: true, signatureVersion, signatureDate: T1.toISOString(), signatureAgeDays: 0.5, signaturesUpToDate: null, mode: null }],
  });
  return hostReport(agentId, {}, [antivirus, okFact('directoryJoin', { joined: false, method: null, domain: null })]);
}

describe.each(drivers)('a host reporting the same state again on %s', (driver) => {
  let store: Store;
  let agentId: string;
  let evaluator: Evaluator;
  const ingest = async (r: Report, at: Date) => store.storeReport({ tenantId: 'amal', agentId, report: r, receivedAt: at, findings: evaluator.evaluateReport(r, at) });
  const av001 = async () => (await store.listFindings('amal', { ruleIds: ['BV-AV-001'] }))[0]!;
  const events = async () => store.db.selectFrom('finding_events').select(['rule_id', 'kind', 'report_id']).orderBy('id').execute();
  const lifecycle = (row: Awaited<ReturnType<typeof av001>>, now: Date) => findingState(row, { now, waivers: [], silentTargets: new Set() }).lifecycle;

  beforeAll(async () => {
    ({ store, agent: { agentId } } = await storeWithAgent(await freshConfig(driver)));
    evaluator = new Evaluator(await loadRules(BUNDLED_RULE_DIRS));
  }, 60_000);
  afterAll(async () => store?.close());

  it('moves only the last-judged marker and the evidence report; the history and the lifecycle stay right', async () => {
    const first = report(agentId, false, '27456');
    await ingest(first, T1);
    const judged = await events();
    expect(judged.length).toBeGreaterThan(0);
    expect((await av001()).status).toBe('fail');
    expect(lifecycle(await av001(), T1)).toBe('new');

    // SQLite: a trigger counts writes of the columns that hold a judgement.
    if (driver === 'sqlite') {
      await sql`create temp table rewrites (rule_id text)`.execute(store.db);
      await sql`create temp trigger count_rewrites after update of target_name, status, reason, subjects, evidence, evidence_paths, params, severity, goals, first_seen_at, status_since, resolved_at on findings
        begin insert into rewrites values (new.rule_id); end`.execute(store.db);
    }
    const second = report(agentId, false, '27456');
    await ingest(second, T2);
    const row = await av001();
    expect(row).toMatchObject({ status: 'fail', first_seen_at: T1.toISOString(), status_since: T1.toISOString(), last_evaluated_at: T2.toISOString(), report_id: second.reportId });
    expect(lifecycle(row, T2)).toBe('still-failing');
    expect(await events()).toEqual(judged);
    if (driver === 'sqlite') expect(await sql<{ n: number }>`select count(*) as n from rewrites`.execute(store.db).then((r) => r.rows[0]?.n)).toBe(0);

    // A new signature version changes no verdict: still not rewritten, but the evidence is the newer report's.
    const third = report(agentId, false, '27999');
    await ingest(third, T3);
    expect(JSON.stringify((await av001()).evidence)).toContain('27999');
    expect(await events()).toEqual(judged);
    if (driver === 'sqlite') expect(await sql<{ n: number }>`select count(*) as n from rewrites`.execute(store.db).then((r) => r.rows[0]?.n)).toBe(0);
  });

  it('writes a finding whose verdict changed, with its event', async () => {
    const fixed = report(agentId, true, '27999');
    const at = new Date(T3.getTime() + 3_600_000);
    await ingest(fixed, at);
    const row = await av001();
    expect(row).toMatchObject({ status: 'pass', status_since: at.toISOString(), resolved_at: at.toISOString(), report_id: fixed.reportId });
    expect(lifecycle(row, at)).toBe('resolved');
    expect((await events()).filter((e) => e.report_id === fixed.reportId).map((e) => `${e.rule_id}:${e.kind}`)).toContain('BV-AV-001:resolved');
    if (driver === 'sqlite') {
      const rewritten = await sql<{ rule_id: string }>`select rule_id from rewrites`.execute(store.db);
      expect(rewritten.rows.map((r) => r.rule_id)).toContain('BV-AV-001');
    }
  });
});

describe('reports arriving together on SQLite', () => {
  let dir: string;
  let store: Store;
  let agentId: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'basvakt-group-'));
    ({ store, agent: { agentId } } = await storeWithAgent({ driver: 'sqlite', path: join(dir, 'collector.db') }));
  });
  afterAll(async () => {
    await store?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('are committed together, each acknowledged only once another connection can read it, and one that fails fails alone', async () => {
    const transactions = new Set<Transaction<Database>>();
    store.onTransitions(async (trx, _tenant, transitions) => {
      transactions.add(trx);
      if (transitions.some((t) => t.targetId === 'machine-poisoned')) throw new Error('listener refused');
    });
    const reports = Array.from({ length: 20 }, (_, i) => {
      const r = report(agentId, false, '1');
      r.targets[0]!.id = i === 7 ? 'machine-poisoned' : `machine-${i}`;
      return r;
    });
    const evaluator = new Evaluator(await loadRules(BUNDLED_RULE_DIRS));
    const outcomes = await Promise.allSettled(reports.map((r) => store.storeReport({ tenantId: 'amal', agentId, report: r, receivedAt: T1, findings: evaluator.evaluateReport(r, T1) })));
    expect(outcomes.map((o) => o.status)).toEqual(reports.map((_, i) => (i === 7 ? 'rejected' : 'fulfilled')));
    expect(transactions.size).toBeLessThan(reports.length);

    const other = await openStore({ driver: 'sqlite', path: join(dir, 'collector.db') });
    try {
      const stored = new Set((await other.db.selectFrom('reports').select('report_id').execute()).map((r) => r.report_id));
      expect(stored).toEqual(new Set(reports.filter((_, i) => i !== 7).map((r) => r.reportId)));
      // Nothing of the failed report is left behind.
      for (const table of ['targets', 'facts', 'findings'] as const) {
        const column = table === 'targets' ? 'id' : 'target_id';
        expect(await other.db.selectFrom(table).select(column).where(column, '=', 'machine-poisoned').execute()).toEqual([]);
      }
    } finally {
      await other.close();
    }
  });
});
