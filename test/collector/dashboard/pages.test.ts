import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWorld, login, type Session, type World } from '../api/world.js';

/** The dashboard over HTTP without a browser: redirects, CSRF on forms, escaping, exports. */
describe('dashboard pages over HTTP', () => {
  let world: World;
  let officer: Session;

  beforeAll(async () => {
    world = await buildWorld();
    officer = (await login(world, 'officer-a')).session!;
  });
  afterAll(async () => world.close());

  const get = (path: string, session?: Session) => fetch(`${world.base}${path}`, { redirect: 'manual', headers: session ? { cookie: session.cookie } : {} });

  it('sends a visitor without a session to the login page, and keeps the API answering 401', async () => {
    const page = await get('/t/amal/findings?goal=AV');
    expect(page.status).toBe(303);
    expect(page.headers.get('location')).toBe('/login?next=%2Ft%2Famal%2Ffindings%3Fgoal%3DAV');
    expect((await get('/api/v1/tenants/amal/findings')).status).toBe(401);
    const login = await get('/login');
    expect(login.status).toBe(200);
    expect(await login.text()).toContain('<html lang="sv">');
  });

  it('logs in with the form, and never redirects to another site after it', async () => {
    const response = await fetch(`${world.base}/login`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ username: 'officer-a', password: 'ett-långt-lösenord-2026', next: '//evil.example/' }).toString(),
    });
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/');
    expect(response.headers.get('set-cookie')).toMatch(/basvakt_session=.*HttpOnly/);
    const wrong = await fetch(`${world.base}/login`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'username=officer-a&password=fel' });
    expect(wrong.status).toBe(401);
    expect(await wrong.text()).toContain('Fel användarnamn eller lösenord.');
  });

  it('refuses a waiver form without the CSRF field, and grants one with it', async () => {
    const form = { ruleId: 'BV-FW-001', targetKind: 'host', targetId: 'machine-amal-web01', scope: 'target', reason: 'brandväggen byts i januari', riskOwner: 'IT-chef', expiresAt: '2026-12-20' };
    const post = (fields: Record<string, string>) =>
      fetch(`${world.base}/t/amal/waivers`, { method: 'POST', redirect: 'manual', headers: { cookie: officer.cookie, 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields).toString() });
    expect((await post(form)).status).toBe(403);
    expect((await post({ ...form, _csrf: 'wrong' })).status).toBe(403);
    const ok = await post({ ...form, _csrf: officer.csrf });
    expect(ok.status).toBe(303);
    expect(ok.headers.get('location')).toBe('/t/amal/findings/BV-FW-001/host/machine-amal-web01?waiver=granted');
    const active = await world.store.waivers.active('amal', world.clock.now);
    expect(active.some((w) => w.rule_id === 'BV-FW-001' && w.target_id === 'machine-amal-web01' && w.expires_at === '2026-12-20T23:59:59.000Z')).toBe(true);
    const tooLong = await post({ ...form, expiresAt: '2028-01-01', _csrf: officer.csrf });
    expect(tooLong.status).toBe(422);
  });

  it('revokes a waiver from the waivers page, and only with the CSRF field', async () => {
    const id = world.ids.amal.waiverId;
    const post = (fields: Record<string, string>) =>
      fetch(`${world.base}/t/amal/waivers/${id}/revoke`, { method: 'POST', redirect: 'manual', headers: { cookie: officer.cookie, 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields).toString() });
    const page = await (await get('/t/amal/waivers', officer)).text();
    expect(page).toContain(`action="/t/amal/waivers/${id}/revoke"`);
    expect((await post({})).status).toBe(403);
    const ok = await post({ _csrf: officer.csrf });
    expect(ok.status).toBe(303);
    expect((await world.store.waivers.active('amal', world.clock.now)).some((w) => w.id === id)).toBe(false);
    expect((await world.store.listAudit('amal')).some((a) => a.action === 'waiver.revoked')).toBe(true);
    // A reader sees the waivers but no button.
    const viewer = (await login(world, 'viewer-a')).session!;
    expect(await (await get('/t/amal/waivers', viewer)).text()).not.toContain('/revoke"');
  });

  it('escapes what agents report: a host name cannot become markup', async () => {
    await world.store.db.updateTable('findings').set({ target_name: '<img src=x onerror=alert(1)>' }).where('tenant_id', '=', 'amal').where('rule_id', '=', 'BV-AV-001').execute();
    const text = await (await get('/t/amal/findings?status=', officer)).text();
    expect(text).not.toContain('<img src=x');
    expect(text).toContain('&#60;img src&#61;x onerror&#61;alert(1)&#62;');
  });

  it('exports every finding with its evidence for the auditor, as JSON and CSV', async () => {
    const json = (await (await get('/t/amal/reports/auditor.json', officer)).json()) as { findings: { ruleId: string; evidence: unknown[] }[] };
    expect(json.findings.length).toBeGreaterThan(0);
    expect(json.findings.every((f) => Array.isArray(f.evidence))).toBe(true);
    const csv = await get('/t/amal/reports/auditor.csv', officer);
    expect(csv.headers.get('content-type')).toContain('text/csv');
    expect((await csv.text()).split('\r\n').filter(Boolean).length).toBe(json.findings.length + 1);
  });

  it('serves the stylesheet without a login, and nothing but the known assets', async () => {
    const css = await get('/assets/basvakt.css');
    expect(css.status).toBe(200);
    expect(css.headers.get('content-type')).toContain('text/css');
    expect((await get('/assets/..%2Fhtml.ts')).status).toBe(404);
  });
});
