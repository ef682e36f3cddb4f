import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../common/logger.js';
import { hashPassword } from '../../../collector/auth/passwords.js';
import { defaultCollectorConfig } from '../../../collector/config/load.js';
import { tenantPosture } from '../../../collector/dashboard/posture.js';
import { ruleCounts } from '../../../collector/dashboard/queries.js';
import { assessFrameworks, tenantTallies } from '../../../collector/reports/frameworks.js';
import { bundledFrameworks } from '../../../rules/frameworks/index.js';
import { startCollector, type RunningCollector } from '../../../collector/index.js';
import type { FindingTransition } from '../../../collector/lifecycle/transitions.js';
import { hostReport, okFact } from '../../support/reports.js';
import { enrollTestAgent, type EnrolledAgent } from '../../support/collector.js';
import { customPackDir, TEST_CONTROL } from './helpers.js';

type Finding = { ruleId: string; targetKind: string; targetId: string; status: string; effectiveStatus: string; reason: string | null; params: Record<string, unknown> };
type Score = { withoutWaivers: { pass: number; fail: number; unknown: number; percent: number | null } };

const PASSWORD = 'ett-långt-lösenord-2026';

/** A real collector judging stored reports with the tenant's settings and attestations. */
describe('a tenant\'s rule settings and attestations in the judgement', () => {
  let dir: string;
  let packDir: string;
  let collector: RunningCollector;
  let agent: EnrolledAgent;
  let session: { cookie: string; csrf: string };
  const transitions: FindingTransition[] = [];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'basvakt-judgement-'));
    packDir = customPackDir();
    collector = await startCollector(
      defaultCollectorConfig({ listen: { host: '127.0.0.1', port: 0 }, database: { driver: 'sqlite', path: join(dir, 'collector.db') }, rules: { directories: [packDir] } }),
      silentLogger,
    );
    const store = collector.store;
    await store.createTenant('amal', 'Åmåls kommun', new Date());
    await store.users.create({ id: 'usr_anna', username: 'anna', display_name: 'Anna', password_hash: await hashPassword(PASSWORD), ldap_dn: null, created_at: new Date().toISOString(), disabled_at: null });
    await store.users.grant('usr_anna', { role: 'security-officer', scopeKind: 'tenant', scopeId: 'amal' });
    agent = await enrollTestAgent(store, 'amal');
    store.onTransitions(async (_trx, _tenant, changes) => {
      transitions.push(...changes);
    });
    const login = await fetch(`${collector.url}/api/v1/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'anna', password: PASSWORD }) });
    session = { cookie: (login.headers.get('set-cookie') ?? '').split(';')[0]!, csrf: ((await login.json()) as { csrfToken: string }).csrfToken };
  }, 60_000);
  afterAll(async () => {
    await collector?.close();
    await rm(dir, { recursive: true, force: true });
    await rm(packDir, { recursive: true, force: true });
  });

  const api = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${collector.url}/api/v1/tenants/amal${path}`, {
      method,
      headers: { cookie: session.cookie, 'x-csrf-token': session.csrf, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };
  const findings = async () => (await api('GET', '/findings')).body.findings as Finding[];
  const finding = async (ruleId: string) => (await findings()).find((f) => f.ruleId === ruleId);
  const settle = async () => {
    await collector.rejudger.idle();
    await collector.aggregates.flush();
  };

  async function sendReport(): Promise<void> {
    const report = hostReport(agent.agentId, {}, [
      okFact('antivirus', {
        products: [{ name: 'ClamAV', kind: 'clamav', installed: true, running: true, realTimeProtection: true, signatureVersion: '27001', signatureDate: null, signatureAgeDays: 4, signaturesUpToDate: null, mode: null }],
      }),
    ]);
    const response = await fetch(`${collector.url}/api/v1/reports`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: agent.auth }, body: JSON.stringify(report) });
    expect(response.status).toBe(201);
    await settle();
  }

  it('judges a stored report again when a parameter is overridden', async () => {
    await sendReport();
    expect(await finding('BV-AV-002')).toMatchObject({ status: 'pass', params: { maxSignatureAgeDays: 7 } });

    const set = await api('PUT', '/rule-settings/BV-AV-002', { params: { maxSignatureAgeDays: 2 }, reason: 'BITS AV-02: högst två dygn gamla signaturer' });
    expect(set.status).toBe(200);
    await settle();
    // The same stored facts (signatures 4 days old), judged with the kommun's threshold.
    expect(await finding('BV-AV-002')).toMatchObject({ status: 'fail', params: { maxSignatureAgeDays: 2 } });
    expect(await finding('BV-AV-010')).toMatchObject({ status: 'fail' });
    // Re-judged findings refer to the report they were judged from, as ingest stores them.
    const stored = await collector.store.db.selectFrom('findings').select(['report_id', 'evidence_paths']).where('rule_id', '=', 'BV-AV-002').executeTakeFirstOrThrow();
    expect(stored.report_id).not.toBeNull();
    expect(stored.evidence_paths).not.toBeNull();
    const overview = (await api('GET', '/rule-settings')).body;
    expect(overview).toMatchObject({ stale: false, version: 1, judgedVersion: 1 });
  });

  it('shows a disabled rule as disabled with its reason, and never counts it as passed', async () => {
    await api('PUT', '/rule-settings/BV-AV-002', { params: {}, reason: 'återställt till standardvärdet sju dygn' });
    await settle();
    expect((await finding('BV-AV-002'))?.status).toBe('pass');
    const before = (await api('GET', '/score')).body.score as Score;

    await api('PUT', '/rule-settings/BV-AV-002', { disabled: true, reason: 'virusskyddet byts ut under december' });
    await settle();
    const disabled = await finding('BV-AV-002');
    expect(disabled).toMatchObject({ status: 'disabled', effectiveStatus: 'disabled' });
    expect(disabled?.reason).toContain('virusskyddet byts ut under december');
    expect(disabled?.reason).toContain('user:anna');

    // Out of the score altogether: not judged, so not passed; and the tenant-wide BV-AV-010,
    // which needs both AV rules per host, can no longer pass on BV-AV-001 alone: unknown.
    const after = (await api('GET', '/score')).body.score as Score;
    const judged = (s: Score) => s.withoutWaivers.pass + s.withoutWaivers.fail + s.withoutWaivers.unknown;
    expect(judged(after)).toBe(judged(before) - 1);
    expect(after.withoutWaivers.pass).toBe(before.withoutWaivers.pass - 2);
    expect(after.withoutWaivers.unknown).toBe(before.withoutWaivers.unknown + 1);
    // The overview per goal: AV counts BV-AV-001 only; the aggregate over AV-001 and AV-002 is not a pass.
    const posture = await tenantPosture(collector.store, 'amal', collector.evaluator.ruleSet, new Date());
    const av = posture.goals.find((g) => g.id === 'AV')!;
    expect(posture.counts.filter((c) => c.ruleId === 'BV-AV-002').reduce((n, c) => n + c.pass + c.fail + c.unknown, 0)).toBe(0);
    expect(av).toMatchObject({ pass: 1, fail: 0, unknown: 1 });
    expect((await finding('BV-AV-010'))?.status).not.toBe('pass');
    // Framework coverage: every requirement linked to the disabled rule has no result from it, and none is met through it.
    const assessed = assessFrameworks(bundledFrameworks(), collector.evaluator.ruleSet, tenantTallies(await ruleCounts(collector.store, 'amal', new Date())));
    const linked = assessed.flatMap((f) => f.requirements).filter((r) => r.ruleIds.includes('BV-AV-002'));
    expect(linked.length).toBeGreaterThan(0);
    for (const requirement of linked) {
      expect(requirement.rules.find((r) => r.id === 'BV-AV-002')?.outcome, requirement.id).toBe('no-data');
      expect(requirement.result, requirement.id).not.toBe('met');
    }

    // A new report of the same host keeps it disabled: ingest applies the setting too.
    await sendReport();
    expect((await finding('BV-AV-002'))?.status).toBe('disabled');

    expect((await api('DELETE', '/rule-settings/BV-AV-002', { reason: 'nya virusskyddet är på plats' })).status).toBe(200);
    await settle();
    expect((await finding('BV-AV-002'))?.status).toBe('pass');
  });

  it('turns attestations into findings of the tenant: unknown, pass, and unknown again once expired', async () => {
    const control = async () => (await findings()).find((f) => f.ruleId === TEST_CONTROL.id);
    expect(await control()).toMatchObject({ targetKind: 'tenant', targetId: 'amal', status: 'unknown', reason: expect.stringContaining('inte bekräftad') });

    const soon = new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10);
    const attested = await api('POST', `/manual-controls/${TEST_CONTROL.id}/attestations`, { outcome: 'met', evidenceRef: 'KS 2026/114', nextReviewAt: soon, reason: 'rutinen fastställd av kommunstyrelsen' });
    expect(attested.status).toBe(201);
    await settle();
    expect((await control())?.status).toBe('pass');
    const posture = await tenantPosture(collector.store, 'amal', collector.evaluator.ruleSet, new Date());
    expect(posture.goals.find((g) => g.id === 'PROCESS')).toMatchObject({ pass: 1 });

    // Three days on, the attestation has run out: unknown, as a change that alerts like any other.
    transitions.length = 0;
    await collector.evaluator.refreshAggregates(collector.store, 'amal', new Date(Date.now() + 3 * 86_400_000));
    expect((await control())).toMatchObject({ status: 'unknown', reason: expect.stringContaining('gick ut') });
    expect(transitions.filter((t) => t.ruleId === TEST_CONTROL.id).map((t) => [t.fromStatus, t.toStatus, t.kind])).toEqual([['pass', 'unknown', 'unknown']]);

    await api('POST', `/manual-controls/${TEST_CONTROL.id}/attestations`, { outcome: 'not_met', evidenceRef: 'KS 2026/120', reason: 'rutinen upphävd, ny tas fram' });
    await settle();
    expect((await control())?.status).toBe('fail');
  });
});
