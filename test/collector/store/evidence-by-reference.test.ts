import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Evaluator } from '../../../collector/evaluate/evaluator.js';
import type { Store } from '../../../collector/store/index.js';
import type { Fact, Report, Target, TargetKind } from '../../../report/schema.js';
import { BUNDLED_RULE_DIRS, loadRules, type RuleSet } from '../../../rules/engine/index.js';
import { storeWithAgent } from '../../support/collector.js';
import { failedFact, hostReport, okFact, testFinding } from '../../support/reports.js';
import { disposeServersAfterAll, drivers, freshConfig } from './drivers.js';

disposeServersAfterAll();

const AT = '2026-11-23T08:00:00.000Z';

/** Report facts from a rule test case's `facts` (`{ error: … }` and `{ unsupported: … }` mark failed facts). */
function caseFacts(facts: Record<string, Record<string, unknown>> | undefined, kind: string): Fact[] {
  return Object.entries(facts?.[kind] ?? {}).map(([name, value]) => {
    const marker = value && typeof value === 'object' && !Array.isArray(value) ? Object.entries(value) : [];
    const [key, reason] = marker.length === 1 ? marker[0]! : [];
    if ((key === 'error' || key === 'unsupported') && typeof reason === 'string') return failedFact(name, reason, key);
    return okFact(name, value);
  });
}

/** One target per test case of every bundled target rule: the facts rule authors thought of, failed ones included. */
function targetsFromRuleTests(ruleSet: RuleSet): Target[] {
  return ruleSet.rules
    .filter((rule) => !rule.aggregate && rule.target !== 'tenant')
    .flatMap((rule) => rule.tests.map((testCase, i) => ({ kind: rule.target as TargetKind, id: `case-${rule.id}-${i}`, name: `${rule.id} ${i}`, facts: caseFacts(testCase.facts, rule.target) })));
}

describe.each(drivers)('evidence kept by reference on %s', (driver) => {
  let store: Store;
  let agentId: string;
  let evaluator: Evaluator;
  const report = (targets: Target[]): Report => ({ ...hostReport(agentId), targets });

  beforeAll(async () => {
    ({ store, agent: { agentId } } = await storeWithAgent(await freshConfig(driver)));
    evaluator = new Evaluator(await loadRules(BUNDLED_RULE_DIRS));
  }, 60_000);
  afterAll(async () => store?.close());

  it('shows every bundled rule\'s evidence exactly as the rule engine gave it, though only the paths are stored', async () => {
    const now = new Date(AT);
    const targets = targetsFromRuleTests(evaluator.ruleSet);
    const judged = new Map<string, unknown[]>();
    for (let i = 0; i < targets.length; i += 50) {
      const r = report(targets.slice(i, i + 50));
      const findings = evaluator.evaluateReport(r, now);
      for (const f of findings) judged.set(`${f.ruleId}/${f.targetId}`, f.evidence);
      expect(await store.storeReport({ tenantId: 'amal', agentId, report: r, receivedAt: now, findings })).toBe('accepted');
    }
    const shown = await store.listFindings('amal');
    expect(shown.length).toBe(judged.size);
    for (const f of shown) expect(f.evidence, `${f.rule_id} on ${f.target_id}`).toEqual(judged.get(`${f.rule_id}/${f.target_id}`));
    // Failed and missing facts are among them, and nothing had to be kept inline.
    const statuses = new Set(shown.flatMap((f) => f.evidence.map((e) => (e as { status: string }).status)));
    expect([...statuses].sort()).toEqual(expect.arrayContaining(['error', 'ok']));
    const inline = await store.db.selectFrom('findings').select(['rule_id', 'evidence']).where('evidence_paths', 'is', null).where('evidence', '!=', '[]').execute();
    expect(inline).toEqual([]);
  });

  it('keeps showing the facts a finding was judged on after newer reports change them', async () => {
    const firewall = (active: boolean) => okFact('firewall', { backends: [{ name: 'nftables', active, ruleCount: 12, inputPolicy: 'drop' }], profiles: [] });
    const target = (active: boolean): Target => ({ kind: 'host', id: 'machine-history', name: 'history', facts: [firewall(active), okFact('os', { platform: 'linux', id: 'debian', name: 'Debian', version: '12', build: null, edition: null, kernel: '6.1.0', arch: 'x64', isServer: true })] });
    const first = report([target(false)]);
    const firstFindings = evaluator.evaluateReport(first, new Date(AT));
    await store.storeReport({ tenantId: 'amal', agentId, report: first, receivedAt: new Date(AT), findings: firstFindings });
    // The next report changes the facts but is judged without the firewall rule (say it was switched off meanwhile).
    const second = report([target(true)]);
    const later = new Date(Date.parse(AT) + 3_600_000);
    const secondFindings = evaluator.evaluateReport(second, later).filter((f) => f.ruleId !== 'BV-FW-001');
    await store.storeReport({ tenantId: 'amal', agentId, report: second, receivedAt: later, findings: secondFindings });

    const [fw] = await store.listFindings('amal', { ruleIds: ['BV-FW-001'], targetId: 'machine-history' });
    expect(fw?.status).toBe('fail');
    expect(fw?.report_id).toBe(first.reportId);
    expect(fw?.evidence).toEqual(firstFindings.find((f) => f.ruleId === 'BV-FW-001')!.evidence);
    expect(JSON.stringify(fw?.evidence)).toContain('"active":false');
    // The target's current facts are the newer ones.
    const fact = await store.db.selectFrom('facts').select('value').where('target_id', '=', 'machine-history').where('name', '=', 'firewall').executeTakeFirstOrThrow();
    expect(fact.value).toContain('"active":true');
  });

  it('keeps evidence inline when it does not read back from the report, and shows it unchanged', async () => {
    const written = [{ path: 'host.antivirus.products', value: { summarised: true }, source: 'elsewhere', collectedAt: AT, status: 'ok' }];
    const r = hostReport(agentId);
    r.targets[0]!.id = 'machine-inline';
    await store.storeReport({ tenantId: 'amal', agentId, report: r, receivedAt: new Date(AT), findings: [testFinding({ targetId: 'machine-inline', evidence: written })] });
    const [row] = await store.listFindings('amal', { targetId: 'machine-inline' });
    expect(row?.evidence).toEqual(written);
    // Tenant-wide results have no report to refer to.
    const aggregate = testFinding({ ruleId: 'BV-AV-010', targetKind: 'tenant', targetId: 'amal', targetName: 'amal', evidence: [{ path: 'aggregate.passPercent', value: 50, source: 'basvakt', collectedAt: AT, status: 'ok' }] });
    await store.replaceFindings('amal', [aggregate], new Date(AT));
    const [tenantWide] = await store.listFindings('amal', { targetKind: 'tenant' });
    expect(tenantWide?.evidence).toEqual(aggregate.evidence);
  });

  it('lets findings judged again from stored reports refer to those reports', async () => {
    const reports = ['machine-rejudge-a', 'machine-rejudge-b'].map((id) => report([{ kind: 'host', id, name: id, facts: hostReport(agentId).targets[0]!.facts }]));
    for (const r of reports) await store.storeReport({ tenantId: 'amal', agentId, report: r, receivedAt: new Date(AT), findings: [] });
    const later = new Date(Date.parse(AT) + 86_400_000);
    const findings = reports.flatMap((r) => evaluator.evaluateReport(r, later));
    await store.replaceFindings('amal', findings, later, reports);
    for (const [i, r] of reports.entries()) {
      const rows = await store.listFindings('amal', { targetId: r.targets[0]!.id });
      expect(rows.length).toBeGreaterThan(0);
      for (const row of rows) {
        expect(row.report_id).toBe(reports[i]!.reportId);
        expect(row.evidence).toEqual(findings.find((f) => f.ruleId === row.rule_id && f.targetId === row.target_id)!.evidence);
      }
    }
    const inline = await store.db.selectFrom('findings').select('rule_id').where('target_id', 'like', 'machine-rejudge-%').where('evidence_paths', 'is', null).where('evidence', '!=', '[]').execute();
    expect(inline).toEqual([]);
  });

  it('reads long lists back capped at 100 items, with the number left out', async () => {
    const sockets = Array.from({ length: 150 }, (_, i) => ({ protocol: 'tcp', address: '0.0.0.0', port: 1000 + i, process: 'x', pid: i, service: null, cleartext: false, loopbackOnly: false }));
    const r = report([{ kind: 'host', id: 'machine-many-ports', name: 'many-ports', facts: [okFact('listeningServices', { sockets })] }]);
    const findings = evaluator.evaluateReport(r, new Date(AT));
    await store.storeReport({ tenantId: 'amal', agentId, report: r, receivedAt: new Date(AT), findings });
    const rows = await store.listFindings('amal', { targetId: 'machine-many-ports' });
    const capped = rows.flatMap((f) => f.evidence).find((e) => (e as { omitted?: number }).omitted !== undefined) as { value: unknown[]; omitted: number } | undefined;
    expect(capped?.value).toHaveLength(100);
    expect(capped?.omitted).toBe(50);
    for (const row of rows) expect(row.evidence).toEqual(findings.find((f) => f.ruleId === row.rule_id)!.evidence);
    const stored = await store.db.selectFrom('findings').select(['evidence', 'evidence_paths']).where('target_id', '=', 'machine-many-ports').execute();
    expect(stored.every((row) => row.evidence === null && row.evidence_paths !== null)).toBe(true);
  });
});
