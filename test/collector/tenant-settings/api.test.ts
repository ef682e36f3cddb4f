import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, login, type Session } from '../api/world.js';
import { settingsWorld, TEST_CONTROL } from './helpers.js';

type Problems = { error: { code: string; message: string; problems: { path: string; message: string; line?: number }[] } };

/** Rule settings, network models and attestations over the API: who may, what is refused, what is recorded. */
describe('tenant rule settings and attestations over the API', () => {
  let world: Awaited<ReturnType<typeof settingsWorld>>;
  let officerA: Session;
  let officerB: Session;
  const changed: string[] = [];

  beforeAll(async () => {
    world = await settingsWorld({ onRuleSettingsChanged: (tenant, what) => changed.push(`${tenant}:${what}`) });
    officerA = (await login(world, 'officer-a')).session!;
    officerB = (await login(world, 'officer-b')).session!;
  });
  afterAll(async () => world.close());

  it('refuses a setting without a reason, naming the field', async () => {
    const response = await call(world, 'PUT', '/api/v1/tenants/amal/rule-settings/BV-AV-002', { session: officerA }, { params: { maxSignatureAgeDays: 2 } });
    expect(response.status).toBe(422);
    const body = (await response.json()) as Problems;
    expect(body.error.problems).toEqual([{ path: 'reason', message: 'en motivering krävs (a reason is required)' }]);
    const short = (await (await call(world, 'PUT', '/api/v1/tenants/amal/rule-settings/BV-AV-002', { session: officerA }, { params: {}, disabled: true, reason: '  kort  ' })).json()) as Problems;
    expect(short.error.problems[0]).toMatchObject({ path: 'reason', message: expect.stringContaining('minst 10 tecken') });
  });

  it('names rule and parameter of an invalid override', async () => {
    const response = await call(world, 'PUT', '/api/v1/tenants/amal/rule-settings/BV-AV-002', { session: officerA }, { params: { maxSignatureAgeDays: 'två', maxAgeDays: 2 }, reason: 'BITS AV-02 kräver högst två dygn' });
    expect(response.status).toBe(422);
    const body = (await response.json()) as Problems;
    expect(body.error.problems.map((p) => p.path)).toEqual(['params.BV-AV-002.maxSignatureAgeDays', 'params.BV-AV-002.maxAgeDays']);
    expect(body.error.problems[0]!.message).toContain('ett tal');
    expect(body.error.problems[1]!.message).toContain('okänd parameter "maxAgeDays"');
    const unknownRule = (await (await call(world, 'PUT', '/api/v1/tenants/amal/rule-settings/BV-NOPE-001', { session: officerA }, { disabled: true, reason: 'finns inte alls i paketen' })).json()) as Problems;
    expect(unknownRule.error.problems).toEqual([{ path: 'ruleId', message: 'okänd regel "BV-NOPE-001" (unknown rule)' }]);
  });

  it('stores an override and a disabled rule with reasons, and audits old → new', async () => {
    const initial = (await (await call(world, 'GET', '/api/v1/tenants/amal/rule-settings', { session: officerA })).json()) as { version: number };
    const auditBefore = (await world.store.listAudit('amal')).length;
    const set = await call(world, 'PUT', '/api/v1/tenants/amal/rule-settings/BV-AV-002', { session: officerA }, { params: { maxSignatureAgeDays: 2 }, reason: 'BITS AV-02: högst två dygn gamla signaturer', reviewAt: '2027-06-30' });
    expect(set.status).toBe(200);
    const changedAgain = await call(world, 'PUT', '/api/v1/tenants/amal/rule-settings/BV-AV-002', { session: officerA }, { params: { maxSignatureAgeDays: 3 }, reason: 'tre dygn räcker enligt beslut KS 2026/12' });
    expect(changedAgain.status).toBe(200);
    expect((await call(world, 'PUT', '/api/v1/tenants/amal/rule-settings/BV-LOG-002', { session: officerA }, { disabled: true, reason: 'brandväggen sköts centralt av kommunalförbundet' })).status).toBe(200);

    const overview = (await (await call(world, 'GET', '/api/v1/tenants/amal/rule-settings', { token: world.apiToken.amal })).json()) as {
      version: number;
      stale: boolean;
      settings: { ruleId: string; params: Record<string, unknown>; disabled: boolean; reason: string; changedBy: string }[];
    };
    expect(overview.version).toBe(initial.version + 3);
    expect(overview.stale).toBe(true);
    expect(overview.settings).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ ruleId: 'BV-AV-002', params: { maxSignatureAgeDays: 3 }, disabled: false, reason: 'tre dygn räcker enligt beslut KS 2026/12', changedBy: 'user:officer-a' }),
        expect.objectContaining({ ruleId: 'BV-LOG-002', params: {}, disabled: true, reason: 'brandväggen sköts centralt av kommunalförbundet' }),
      ]),
    );

    const audit = (await world.store.listAudit('amal')).slice(auditBefore).filter((a) => a.action.startsWith('rule-setting.'));
    const details = audit.map((a) => JSON.parse(a.details) as { ruleId: string; reason: string; old: unknown; new: unknown });
    expect(audit.map((a) => a.actor)).toEqual(['user:officer-a', 'user:officer-a', 'user:officer-a']);
    expect(details[0]).toMatchObject({ ruleId: 'BV-AV-002', old: null, new: { params: { maxSignatureAgeDays: 2 }, disabled: false, reviewAt: '2027-06-30T23:59:59.000Z' } });
    expect(details[1]).toMatchObject({ ruleId: 'BV-AV-002', reason: 'tre dygn räcker enligt beslut KS 2026/12', old: { params: { maxSignatureAgeDays: 2 } }, new: { params: { maxSignatureAgeDays: 3 } } });
    expect(details[2]).toMatchObject({ ruleId: 'BV-LOG-002', old: null, new: { disabled: true } });
    expect(changed.filter((c) => c === 'amal:settings')).toHaveLength(3);

    // Back to the defaults: the setting goes, the audit keeps what it was.
    const reset = await call(world, 'DELETE', '/api/v1/tenants/amal/rule-settings/BV-LOG-002', { session: officerA }, { reason: 'egen brandvägg installerad i november' });
    expect(reset.status).toBe(200);
    const removed = (await world.store.listAudit('amal')).at(-1)!;
    expect(removed.action).toBe('rule-setting.removed');
    expect(JSON.parse(removed.details)).toMatchObject({ ruleId: 'BV-LOG-002', old: { disabled: true }, new: null });
  });

  it('lets only security officers and admins change settings; readers read', async () => {
    const body = { disabled: true, reason: 'försök av fel roll att stänga av' };
    for (const user of ['viewer-a', 'tech-a']) {
      const session = (await login(world, user)).session!;
      expect((await call(world, 'PUT', '/api/v1/tenants/amal/rule-settings/BV-LOG-001', { session }, body)).status).toBe(404);
      expect((await call(world, 'POST', `/api/v1/tenants/amal/manual-controls/${TEST_CONTROL.id}/attestations`, { session }, { outcome: 'met', evidenceRef: 'x-123', reason: body.reason })).status).toBe(404);
      expect((await call(world, 'GET', '/api/v1/tenants/amal/rule-settings', { session })).status).toBe(200);
    }
    expect((await call(world, 'PUT', '/api/v1/tenants/amal/rule-settings/BV-LOG-001', { token: world.apiToken.amal }, body)).status).toBe(404);
    const admin = (await login(world, 'admin')).session!;
    expect((await call(world, 'PUT', '/api/v1/tenants/amal/rule-settings/BV-LOG-001', { session: admin }, body)).status).toBe(200);
    expect((await call(world, 'PUT', '/api/v1/tenants/no-such/rule-settings/BV-LOG-001', { session: admin }, body)).status).toBe(404);
  });

  it('keeps kommun B\'s settings and attestations from kommun A, and A cannot change them', async () => {
    expect((await call(world, 'PUT', '/api/v1/tenants/bengtsfors/rule-settings/BV-AV-001', { session: officerB }, { disabled: true, reason: 'bengtsfors-secret-host ersätts' })).status).toBe(200);
    const attested = await call(world, 'POST', `/api/v1/tenants/bengtsfors/manual-controls/${TEST_CONTROL.id}/attestations`, { session: officerB }, { outcome: 'met', evidenceRef: 'BV-B-ONLY diarienr', reason: 'rutinen fastställd av KS i Bengtsfors' });
    expect(attested.status).toBe(201);
    for (const [method, path, body] of [
      ['GET', '/api/v1/tenants/bengtsfors/rule-settings', undefined],
      ['PUT', '/api/v1/tenants/bengtsfors/rule-settings/BV-AV-001', { disabled: false, reason: 'A försöker slå på regeln' }],
      ['DELETE', '/api/v1/tenants/bengtsfors/rule-settings/BV-AV-001', { reason: 'A försöker ta bort inställningen' }],
      ['GET', '/api/v1/tenants/bengtsfors/network-model', undefined],
      ['PUT', '/api/v1/tenants/bengtsfors/network-model', { yaml: 'kommun: x', reason: 'A försöker byta modellen' }],
      ['GET', '/api/v1/tenants/bengtsfors/manual-controls', undefined],
      ['GET', `/api/v1/tenants/bengtsfors/manual-controls/${TEST_CONTROL.id}/attestations`, undefined],
      ['POST', `/api/v1/tenants/bengtsfors/manual-controls/${TEST_CONTROL.id}/attestations`, { outcome: 'not_met', evidenceRef: 'förfalskat', reason: 'A försöker intyga åt B' }],
    ] as const) {
      for (const auth of [{ session: officerA }, { token: world.apiToken.amal }]) {
        const response = await call(world, method, path, auth, body);
        expect(response.status, `${method} ${path}`).toBe(404);
        const text = await response.text();
        expect(text).not.toContain('bengtsfors-secret-host');
        expect(text).not.toContain('BV-B-ONLY');
      }
    }
    const officerBView = (await (await call(world, 'GET', '/api/v1/tenants/bengtsfors/rule-settings', { session: officerB })).json()) as { settings: { ruleId: string; disabled: boolean }[] };
    expect(officerBView.settings).toEqual(expect.arrayContaining([expect.objectContaining({ ruleId: 'BV-AV-001', disabled: true })]));
    const history = (await (await call(world, 'GET', `/api/v1/tenants/bengtsfors/manual-controls/${TEST_CONTROL.id}/attestations`, { session: officerB })).json()) as { attestations: { outcome: string }[] };
    expect(history.attestations.map((a) => a.outcome)).toEqual(['met']);
    // A's own lists hold nothing of B.
    const own = await (await call(world, 'GET', '/api/v1/tenants/amal/manual-controls', { session: officerA })).text();
    expect(own).not.toContain('BV-B-ONLY');
  });

  it('answers a broken network model with line-numbered problems, and keeps a valid one', async () => {
    const broken = ['kommun: amal', 'kommuner:', '  amal:', '    zones:', '      ADM:', '        vlans: [10, "5000"]', '      ped:', '        vlans: [110]'].join('\n');
    const response = await call(world, 'PUT', '/api/v1/tenants/amal/network-model', { session: officerA }, { yaml: broken, reason: 'ny IP-plan från kommunalförbundet' });
    expect(response.status).toBe(422);
    const body = (await response.json()) as Problems;
    expect(body.error.code).toBe('invalid-network-model');
    expect(body.error.problems).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ path: 'kommuner.amal.zones.ADM.vlans[1]', line: 6 }),
        expect.objectContaining({ path: 'kommuner.amal.zones.ped', line: 7 }),
      ]),
    );
    expect(body.error.message).toContain('rad 6:');
    const syntax = (await (await call(world, 'PUT', '/api/v1/tenants/amal/network-model', { session: officerA }, { yaml: 'kommun: amal\nkommuner: [\n', reason: 'trasig fil av misstag' })).json()) as Problems;
    expect(syntax.error.problems[0]!.line).toBeGreaterThanOrEqual(2);

    const valid = ['kommun: amal', 'kommuner:', '  amal:', '    zones:', '      ADM: { vlans: [10], ranges: [10.1.0.0/20] }', '      PED: { vlans: ["110-159"], ranges: [10.1.16.0/20] }', 'trunkAllowlist: [core-01]'].join('\n');
    const ok = await call(world, 'PUT', '/api/v1/tenants/amal/network-model', { session: officerA }, { yaml: valid, reason: 'ny IP-plan från kommunalförbundet' });
    expect(ok.status).toBe(200);
    const stored = (await (await call(world, 'GET', '/api/v1/tenants/amal/network-model', { session: officerA })).json()) as { yaml: string; params: Record<string, string[]> };
    expect(stored.yaml).toBe(valid);
    expect(stored.params.zones).toEqual(['ADM:10:', 'PED:110-159:']);
    const entry = (await world.store.listAudit('amal')).at(-1)!;
    expect(entry.action).toBe('network-model.replaced');
    expect(JSON.parse(entry.details)).toMatchObject({ reason: 'ny IP-plan från kommunalförbundet', old: null, new: { yaml: valid } });
  });

  it('records attestations with their history, the attesting user, and refuses one without evidence or reason', async () => {
    const path = `/api/v1/tenants/amal/manual-controls/${TEST_CONTROL.id}/attestations`;
    const missing = (await (await call(world, 'POST', path, { session: officerA }, { outcome: 'met' })).json()) as Problems;
    expect(missing.error.problems.map((p) => p.path).sort()).toEqual(['evidenceRef', 'reason']);
    const tooLong = await call(world, 'POST', path, { session: officerA }, { outcome: 'met', evidenceRef: 'KS 2026/114', nextReviewAt: '2028-06-01', reason: 'rutinen fastställd av kommunstyrelsen' });
    expect(((await tooLong.json()) as Problems).error.problems[0]).toMatchObject({ path: 'nextReviewAt', message: expect.stringContaining('högst 12 månader') });
    const unknown = await call(world, 'POST', '/api/v1/tenants/amal/manual-controls/BV-NOPE-9/attestations', { session: officerA }, { outcome: 'met', evidenceRef: 'KS 2026/114', reason: 'rutinen fastställd av kommunstyrelsen' });
    expect(((await unknown.json()) as Problems).error.problems[0]!.path).toBe('controlId');

    expect((await call(world, 'POST', path, { session: officerA }, { outcome: 'not_met', evidenceRef: 'KS 2026/100', reason: 'rutinen saknas, ärende öppnat' })).status).toBe(201);
    const met = await call(world, 'POST', path, { session: officerA }, { outcome: 'met', evidenceRef: 'KS 2026/114', nextReviewAt: '2027-03-31', reason: 'rutinen fastställd av kommunstyrelsen' });
    expect(met.status).toBe(201);
    const controls = (await (await call(world, 'GET', '/api/v1/tenants/amal/manual-controls', { token: world.apiToken.amal })).json()) as { controls: { id: string; state: string; attestation: { attestedBy: string; evidenceRef: string; nextReviewAt: string } }[] };
    const control = controls.controls.find((c) => c.id === TEST_CONTROL.id)!;
    expect(control.state).toBe('met');
    expect(control.attestation).toMatchObject({ attestedBy: 'user:officer-a', evidenceRef: 'KS 2026/114', nextReviewAt: '2027-03-31T23:59:59.000Z' });
    const history = (await (await call(world, 'GET', path, { session: officerA })).json()) as { attestations: { outcome: string }[] };
    expect(history.attestations.map((a) => a.outcome)).toEqual(['met', 'not_met']);
    const audit = (await world.store.listAudit('amal'))
      .filter((a) => a.action === 'control.attested')
      .map((a) => JSON.parse(a.details) as { controlId?: string; old: { outcome: string } | null; new: { outcome: string } })
      .filter((a) => a.controlId === TEST_CONTROL.id);
    expect(audit.map((a) => [a.old?.outcome ?? null, a.new.outcome])).toEqual([[null, 'not_met'], ['not_met', 'met']]);
    expect(changed).toContain('amal:attestation');
    // The history cannot be rewritten, not even by the collector's own connection.
    await expect(world.store.db.deleteFrom('manual_attestations').execute()).rejects.toThrow(/append-only/);
  });
});
