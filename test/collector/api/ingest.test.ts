import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { silentLogger } from '../../../common/logger.js';
import { buildApi } from '../../../collector/api/server.js';
import { createEnrollmentToken } from '../../../collector/services/enrollment.js';
import { openStore, type Store } from '../../../collector/store/index.js';
import type { FindingInput } from '../../../collector/store/index.js';
import { hostReport, testFinding } from '../../support/reports.js';

interface Enrolled {
  agentId: string;
  secret: string;
  auth: string;
}

describe('collector ingest API over real HTTP', () => {
  let store: Store;
  let app: FastifyInstance;
  let base: string;
  const judged: string[] = [];

  async function enroll(tenant: string): Promise<Enrolled> {
    const { token } = await createEnrollmentToken(store, { tenantId: tenant, maxUses: 1, validForHours: 1, actor: 'test' });
    const res = await fetch(`${base}/api/v1/enroll`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token, hostname: `host-${tenant}`, agentVersion: '0.1.0' }),
    });
    expect(res.status).toBe(201);
    const body = (await res.json()) as { agentId: string; secret: string; tenant: string };
    expect(body.tenant).toBe(tenant);
    return { agentId: body.agentId, secret: body.secret, auth: `Bearer ${body.agentId}.${body.secret}` };
  }

  function post(auth: string | undefined, body: string, contentType = 'application/json') {
    return fetch(`${base}/api/v1/reports`, {
      method: 'POST',
      headers: { 'content-type': contentType, ...(auth ? { authorization: auth } : {}) },
      body,
    });
  }

  beforeEach(async () => {
    store = await openStore({ driver: 'sqlite', path: ':memory:' });
    const now = new Date();
    await store.createTenant('amal', 'Åmåls kommun', now);
    await store.createTenant('bengtsfors', 'Bengtsfors kommun', now);
    judged.length = 0;
    const evaluator = {
      evaluateReport: (report: { reportId: string; targets: { id: string; name: string }[] }): FindingInput[] => {
        judged.push(report.reportId);
        return report.targets.map((t) => testFinding({ ruleId: 'BV-TEST-001', targetId: t.id, targetName: t.name }));
      },
    };
    app = buildApi({ store, evaluator: evaluator as never, logger: silentLogger, bodyLimitBytes: 64 * 1024, version: 'test' });
    base = await app.listen({ host: '127.0.0.1', port: 0 });
  });

  afterEach(async () => {
    await app.close();
    await store.close();
  });

  it('accepts a valid report once, stores facts and findings, and treats a re-send as a duplicate', async () => {
    const agent = await enroll('amal');
    const report = hostReport(agent.agentId);
    const first = await post(agent.auth, JSON.stringify(report));
    expect(first.status).toBe(201);
    expect(await first.json()).toEqual({ reportId: report.reportId, status: 'accepted' });

    const again = await post(agent.auth, JSON.stringify(report));
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual({ reportId: report.reportId, status: 'duplicate' });

    expect(await store.countReports('amal')).toBe(1);
    expect(judged).toEqual([report.reportId]);
    const findings = await store.listFindings('amal');
    expect(findings.map((f) => [f.rule_id, f.target_id, f.status])).toEqual([['BV-TEST-001', 'machine-web01', 'fail']]);
    const events = await store.db.selectFrom('finding_events').selectAll().execute();
    expect(events).toHaveLength(1);
  });

  it('rejects a report without a valid credential, and stores nothing', async () => {
    const agent = await enroll('amal');
    const body = JSON.stringify(hostReport(agent.agentId));
    const none = await post(undefined, body);
    expect(none.status).toBe(401);
    const wrongSecret = await post(`Bearer ${agent.agentId}.not-the-secret`, body);
    expect(wrongSecret.status).toBe(401);
    expect(((await wrongSecret.json()) as { error: { code: string } }).error.code).toBe('unauthenticated');
    expect(await store.countReports()).toBe(0);
  });

  it('refuses a report that claims to come from another agent', async () => {
    const amal = await enroll('amal');
    const other = await enroll('bengtsfors');
    const res = await post(amal.auth, JSON.stringify(hostReport(other.agentId)));
    expect(res.status).toBe(403);
    expect(((await res.json()) as { error: { message: string } }).error.message).toContain(other.agentId);
    expect(await store.countReports()).toBe(0);
  });

  it('does not let another tenant replay or probe an existing report id', async () => {
    const amal = await enroll('amal');
    const other = await enroll('bengtsfors');
    const report = hostReport(amal.agentId);
    expect((await post(amal.auth, JSON.stringify(report))).status).toBe(201);
    const replay = await post(other.auth, JSON.stringify({ ...report, agent: { ...report.agent, id: other.agentId } }));
    expect(replay.status).toBe(409);
    expect(await store.countReports('bengtsfors')).toBe(0);
    expect((await store.listFindings('bengtsfors')).length).toBe(0);
  });

  it('names the field that is wrong in a malformed report', async () => {
    const agent = await enroll('amal');
    const report = hostReport(agent.agentId) as unknown as { targets: { facts: { value: { products: { running: unknown }[] } }[] }[] };
    report.targets[0]!.facts[0]!.value.products[0]!.running = 'yes';
    const res = await post(agent.auth, JSON.stringify(report));
    expect(res.status).toBe(422);
    const body = (await res.json()) as { error: { code: string; problems: { path: string; message: string }[] } };
    expect(body.error.code).toBe('invalid-report');
    expect(body.error.problems[0]?.path).toBe('targets[0].facts[0].value.products[0].running');
    expect(body.error.problems[0]?.message).toMatch(/boolean/);
    expect(await store.countReports()).toBe(0);
  });

  it('rejects unknown facts, missing fields, a wrong schema version and prototype keys', async () => {
    const agent = await enroll('amal');
    const cases: [unknown, string][] = [
      [{ ...hostReport(agent.agentId), schemaVersion: 99 }, 'schemaVersion'],
      [{ ...hostReport(agent.agentId), reportId: 'not-a-uuid' }, 'reportId'],
      [hostReport(agent.agentId, {}, [{ name: 'mystery', status: 'ok', source: 's', collectedAt: '2026-11-23T08:00:00Z', value: 1 }]), 'targets[0].facts[0].name'],
      [{ ...hostReport(agent.agentId), targets: [] }, 'targets'],
      // Tenant facts (coverage) are derived by the collector; an agent must not be able to forge them.
      [{ ...hostReport(agent.agentId), targets: [{ kind: 'tenant', id: 'amal', name: 'Åmål', facts: [] }] }, 'targets[0].kind'],
    ];
    for (const [body, path] of cases) {
      const res = await post(agent.auth, JSON.stringify(body));
      expect(res.status, path).toBe(422);
      const problems = ((await res.json()) as { error: { problems: { path: string }[] } }).error.problems;
      expect(problems.map((p) => p.path)).toContain(path);
    }
    const poisoned = JSON.stringify(hostReport(agent.agentId)).replace('"schemaVersion":1', '"__proto__":{"admin":true},"schemaVersion":1');
    expect((await post(agent.auth, poisoned)).status).toBe(400);
    expect(await store.countReports()).toBe(0);
  });

  it('answers malformed JSON, wrong content type and oversized bodies with a clear 4xx', async () => {
    const agent = await enroll('amal');
    const broken = await post(agent.auth, '{"schemaVersion": 1,');
    expect(broken.status).toBe(400);
    expect(((await broken.json()) as { error: { code: string } }).error.code).toBe('malformed-body');

    const text = await post(agent.auth, 'hello', 'text/plain');
    expect(text.status).toBe(415);

    const huge = hostReport(agent.agentId);
    huge.targets[0]!.name = 'x'.repeat(100);
    const padded = JSON.stringify({ ...huge, padding: 'y'.repeat(70 * 1024) });
    const big = await post(agent.auth, padded);
    expect(big.status).toBe(413);
    expect(((await big.json()) as { error: { message: string } }).error.message).toContain(String(64 * 1024));
    expect(await store.countReports()).toBe(0);
  });

  it('rejects an unknown, expired or used-up enrollment token', async () => {
    const bad = await fetch(`${base}/api/v1/enroll`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token: 'bve_nonsense', hostname: 'h', agentVersion: '1' }),
    });
    expect(bad.status).toBe(401);
    const { token } = await createEnrollmentToken(store, { tenantId: 'amal', maxUses: 1, validForHours: 1, actor: 'test' });
    const use = () =>
      fetch(`${base}/api/v1/enroll`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token, hostname: 'h', agentVersion: '1' }) });
    expect((await use()).status).toBe(201);
    const second = await use();
    expect(second.status).toBe(401);
    expect(((await second.json()) as { error: { code: string } }).error.code).toBe('enrollment-used-up');
    const expired = await createEnrollmentToken(store, { tenantId: 'amal', maxUses: 5, validForHours: 1, actor: 'test' }, new Date(Date.now() - 2 * 3_600_000));
    const late = await fetch(`${base}/api/v1/enroll`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token: expired.token, hostname: 'h', agentVersion: '1' }),
    });
    expect(((await late.json()) as { error: { code: string } }).error.code).toBe('enrollment-expired');
  });

  it('keeps only hashes of secrets in the database', async () => {
    const agent = await enroll('amal');
    const rows = await store.db.selectFrom('agents').selectAll().execute();
    const dump = JSON.stringify(rows) + JSON.stringify(await store.db.selectFrom('enrollment_tokens').selectAll().execute());
    expect(dump).not.toContain(agent.secret);
    expect(rows[0]?.secret_hash).toMatch(/^[0-9a-f]{64}$/);
  });
});
