import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FindingInput } from '../../../collector/store/index.js';
import { hostReport } from '../../support/reports.js';
import { buildWorld, call, login, type Session, type World } from './world.js';

interface Listed {
  findings: { ruleId: string; targetName: string; status: string; effectiveStatus: string; lifecycle: string; overdue: boolean; deadline: string | null; waiver: { reason: string } | null }[];
  score: { withoutWaivers: { percent: number | null; fail: number }; withWaivers: { percent: number | null; waived: number } };
}

describe('waivers, scores and the finding lifecycle', () => {
  let world: World;
  let officer: Session;
  beforeEach(async () => {
    world = await buildWorld();
    officer = (await login(world, 'officer-a')).session!;
  });
  afterEach(async () => world.close());

  const list = async () => (await (await call(world, 'GET', '/api/v1/tenants/amal/findings', { session: officer })).json()) as Listed;

  it('shows a waived failure as accepted risk and scores with and without waivers', async () => {
    const { findings, score } = await list();
    const av = findings.find((f) => f.ruleId === 'BV-AV-001')!;
    expect(av).toMatchObject({ status: 'fail', effectiveStatus: 'waived', waiver: { reason: 'ersätts av ny server i december' } });
    expect(findings.find((f) => f.ruleId === 'BV-FW-001')?.effectiveStatus).toBe('fail');
    expect(score.withoutWaivers).toMatchObject({ fail: 2, percent: 0 });
    expect(score.withWaivers).toMatchObject({ waived: 1, percent: 50 });
  });

  it('lets a waiver lapse by itself at its expiry, and requires an expiry within a year', async () => {
    world.clock.now = new Date('2027-01-02T00:00:00Z');
    officer = (await login(world, 'officer-a')).session!;
    const av = (await list()).findings.find((f) => f.ruleId === 'BV-AV-001')!;
    expect(av.effectiveStatus).toBe('fail');
    expect(av.overdue).toBe(true);
    const tooLong = await call(world, 'POST', '/api/v1/tenants/amal/waivers', { session: officer }, { ruleId: 'BV-FW-001', reason: 'för alltid, tack', riskOwner: 'x', expiresAt: '2030-01-01T00:00:00Z' });
    expect(tooLong.status).toBe(422);
    const noExpiry = await call(world, 'POST', '/api/v1/tenants/amal/waivers', { session: officer }, { ruleId: 'BV-FW-001', reason: 'saknar slutdatum', riskOwner: 'x' });
    expect(noExpiry.status).toBe(422);
    expect(((await noExpiry.json()) as { error: { problems: { path: string }[] } }).error.problems.map((p) => p.path)).toContain('expiresAt');
  });

  it('records who granted and revoked a waiver in the audit trail, exportable as CSV', async () => {
    const created = await call(world, 'POST', '/api/v1/tenants/amal/waivers', { session: officer }, { ruleId: 'BV-FW-001', reason: 'brandväggen byts i januari', riskOwner: 'IT-chef Åmål', expiresAt: '2026-12-15T00:00:00Z' });
    const { id } = (await created.json()) as { id: string };
    expect((await call(world, 'POST', `/api/v1/tenants/amal/waivers/${id}/revoke`, { session: officer })).status).toBe(200);
    const audit = (await (await call(world, 'GET', '/api/v1/tenants/amal/audit', { session: officer })).json()) as { entries: { actor: string; action: string }[] };
    expect(audit.entries.filter((e) => e.actor === 'user:officer-a').map((e) => e.action)).toEqual(['waiver.granted', 'waiver.revoked']);
    const csv = await (await call(world, 'GET', '/api/v1/tenants/amal/audit?format=csv', { session: officer })).text();
    expect(csv.split('\r\n')[0]).toBe('id,tid,aktör,händelse,detaljer');
    expect(csv).toContain('waiver.revoked');
  });

  it('names new, still failing, resolved, regressed and no-data findings', async () => {
    const agentId = world.ids.amal.agentId;
    const send = async (status: FindingInput['status'], minutes: number) => {
      world.clock.now = new Date(Date.parse('2026-11-23T08:00:00Z') + minutes * 60_000);
      const report = hostReport(agentId);
      report.targets[0]!.id = 'machine-amal-web01';
      report.targets[0]!.name = 'amal-web01';
      const finding: FindingInput = { ruleId: 'BV-FW-001', targetKind: 'host', targetId: 'machine-amal-web01', targetName: 'amal-web01', status, subjects: [], evidence: [], params: {}, severity: 'high', goals: ['SEG'] };
      await world.store.storeReport({ tenantId: 'amal', agentId, report, receivedAt: world.clock.now, findings: [finding] });
      return (await list()).findings.find((f) => f.ruleId === 'BV-FW-001')!.lifecycle;
    };
    expect(await send('fail', 30)).toBe('still-failing');
    expect(await send('pass', 60)).toBe('resolved');
    // Resolved stays resolved while it passes; "passing" is for findings that never failed.
    expect(await send('pass', 90)).toBe('resolved');
    expect(await send('fail', 120)).toBe('regressed');
    const events = await world.store.db.selectFrom('finding_events').select(['kind']).where('rule_id', '=', 'BV-FW-001').where('tenant_id', '=', 'amal').orderBy('id').execute();
    expect(events.map((e) => e.kind)).toEqual(['new', 'resolved', 'regressed']);
    // The agent goes silent: a day later its findings have no data.
    world.clock.now = new Date(world.clock.now.getTime() + 25 * 3_600_000);
    officer = (await login(world, 'officer-a')).session!;
    expect((await list()).findings.find((f) => f.ruleId === 'BV-FW-001')!.lifecycle).toBe('no-data');
  });
});

describe('operability endpoints', () => {
  let world: World;
  beforeEach(async () => {
    world = await buildWorld();
  });
  afterEach(async () => world.close());

  it('describes every registered route in the OpenAPI document', async () => {
    const doc = (await (await call(world, 'GET', '/api/v1/openapi.json')).json()) as { openapi: string; paths: Record<string, Record<string, unknown>> };
    expect(doc.openapi).toBe('3.1.0');
    for (const route of world.app.basvaktRoutes) {
      if (route.method === 'HEAD') continue;
      const path = route.url.replace(/:([A-Za-z]+)/g, '{$1}');
      expect(doc.paths[path]?.[route.method.toLowerCase()], `${route.method} ${route.url}`).toBeDefined();
    }
  });

  it('answers health and readiness, and publishes metrics without tenant names', async () => {
    expect(await (await call(world, 'GET', '/api/v1/ready')).json()).toEqual({ status: 'ready' });
    const metrics = await (await call(world, 'GET', '/metrics')).text();
    expect(metrics).toMatch(/^basvakt_agents_silent \d+$/m);
    expect(metrics).toMatch(/^basvakt_outbox_pending \d+$/m);
    expect(metrics).not.toMatch(/amal|bengtsfors/);
  });
});
