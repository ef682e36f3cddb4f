import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tenantSettingsStore } from '../../../collector/store/tenant-settings.js';
import { login, type Session } from '../api/world.js';
import { settingsWorld, TEST_CONTROL } from './helpers.js';

/** The settings section and the manual controls page over HTTP: reasons shown, forms only with CSRF, only for those who may. */
describe('rule settings and manual controls in the dashboard', () => {
  let world: Awaited<ReturnType<typeof settingsWorld>>;
  let officer: Session;
  let viewer: Session;

  beforeAll(async () => {
    world = await settingsWorld();
    officer = (await login(world, 'officer-a')).session!;
    viewer = (await login(world, 'viewer-a')).session!;
  });
  afterAll(async () => world.close());

  const get = (path: string, session: Session) => fetch(`${world.base}${path}`, { redirect: 'manual', headers: { cookie: session.cookie } });
  const post = (path: string, session: Session, fields: Record<string, string>) =>
    fetch(`${world.base}${path}`, { method: 'POST', redirect: 'manual', headers: { cookie: session.cookie, 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields).toString() });

  it('changes a rule from the settings page only with the CSRF field, and shows the setting with its reason', async () => {
    const form = { ruleId: 'BV-AV-002', action: 'params', params: 'maxSignatureAgeDays=2\n', reason: 'BITS AV-02: högst två dygn gamla signaturer', reviewAt: '2027-05-31' };
    expect((await post('/t/amal/settings/rules', officer, form)).status).toBe(403);
    const ok = await post('/t/amal/settings/rules', officer, { ...form, _csrf: officer.csrf });
    expect(ok.status).toBe(303);
    expect(ok.headers.get('location')).toBe('/t/amal/settings?saved=rules#rule-settings');
    const stored = await tenantSettingsStore(world.store).get('amal', 'BV-AV-002');
    expect(JSON.parse(stored!.params)).toEqual({ maxSignatureAgeDays: 2 });
    expect(stored!.review_at).toBe('2027-05-31T23:59:59.000Z');
    expect((await post('/t/amal/settings/rules', officer, { ruleId: 'BV-LOG-001', action: 'disable', reason: 'loggningen sköts av kommunalförbundet', _csrf: officer.csrf })).status).toBe(303);

    const page = await (await get('/t/amal/settings?saved=rules', officer)).text();
    expect(page).toContain('Regelinställningar för kommunen');
    expect(page).toContain('Inställningen är sparad');
    expect(page).toContain('BITS AV-02: högst två dygn gamla signaturer');
    expect(page).toContain('maxSignatureAgeDays=2');
    expect(page).toMatch(/data-rule="BV-LOG-001".*Avstängd.*loggningen sköts av kommunalförbundet/s);
    expect(page).toContain('action="/t/amal/settings/rules"');
    // Nothing re-judges in this world, so the page says the findings are still being updated.
    expect(page).toContain('data-stale="true"');
    // A reader sees the settings and their reasons, but no form.
    const readerPage = await (await get('/t/amal/settings', viewer)).text();
    expect(readerPage).toContain('loggningen sköts av kommunalförbundet');
    expect(readerPage).not.toContain('action="/t/amal/settings/rules"');
    expect((await post('/t/amal/settings/rules', viewer, { ...form, _csrf: viewer.csrf })).status).toBe(404);
  });

  it('refuses a change without a reason or with a bad parameter, saying which field', async () => {
    const noReason = await post('/t/amal/settings/rules', officer, { ruleId: 'BV-AV-002', action: 'disable', reason: '', _csrf: officer.csrf });
    expect(noReason.status).toBe(422);
    expect(await noReason.text()).toMatch(/<code>reason<\/code>: skriv varför, minst 10 tecken/);
    const badParam = await post('/t/amal/settings/rules', officer, { ruleId: 'BV-AV-002', action: 'params', params: 'maxSignatureAgeDays=två', reason: 'ett försök med fel typ', _csrf: officer.csrf });
    expect(badParam.status).toBe(422);
    expect(await badParam.text()).toContain('<code>params.BV-AV-002.maxSignatureAgeDays</code>');
  });

  it('uploads a network model from the form, and lists a broken one\'s problems by line', async () => {
    const broken = await post('/t/amal/settings/network-model', officer, { yaml: 'kommun: amal\nkommuner:\n  amal:\n    zones:\n      ADM: { vlans: [5000] }\n', reason: 'ny IP-plan från förbundet', _csrf: officer.csrf });
    expect(broken.status).toBe(422);
    expect(await broken.text()).toContain('rad 5: <code>kommuner.amal.zones.ADM.vlans[0]</code>');
    const ok = await post('/t/amal/settings/network-model', officer, { yaml: 'kommun: amal\nkommuner:\n  amal:\n    zones:\n      ADM: { vlans: [10] }\n', reason: 'ny IP-plan från förbundet', _csrf: officer.csrf });
    expect(ok.status).toBe(303);
    const page = await (await get('/t/amal/settings', officer)).text();
    expect(page).toContain('<code>ADM:10:</code>');
  });

  it('lists the manual controls with their question and attests one from the form', async () => {
    const before = await (await get('/t/amal/controls', officer)).text();
    expect(before).toMatch(new RegExp(`data-control="${TEST_CONTROL.id}" data-state="missing"`));
    expect(before).toContain('Finns en incidentrutin som ledningen har fastställt?');
    expect(before).toContain('Manuella kontroller');
    const fields = { outcome: 'met', evidenceRef: 'KS 2026/114', reason: 'rutinen fastställd av kommunstyrelsen', nextReviewAt: '2027-06-30' };
    expect((await post(`/t/amal/controls/${TEST_CONTROL.id}/attest`, officer, fields)).status).toBe(403);
    const ok = await post(`/t/amal/controls/${TEST_CONTROL.id}/attest`, officer, { ...fields, _csrf: officer.csrf });
    expect(ok.status).toBe(303);
    const after = await (await get('/t/amal/controls?attested=1', officer)).text();
    expect(after).toMatch(new RegExp(`data-control="${TEST_CONTROL.id}" data-state="met"`));
    expect(after).toContain('KS 2026/114');
    expect(after).toContain('Intygad av user:officer-a');
    // Readers see where it stands, but cannot attest; kommun B sees nothing of A's page.
    const readerPage = await (await get('/t/amal/controls', viewer)).text();
    expect(readerPage).toContain('KS 2026/114');
    expect(readerPage).not.toContain('/attest"');
    expect((await post(`/t/amal/controls/${TEST_CONTROL.id}/attest`, viewer, { ...fields, _csrf: viewer.csrf })).status).toBe(404);
    const officerB = (await login(world, 'officer-b')).session!;
    const other = await get('/t/amal/controls', officerB);
    expect(other.status).toBe(404);
    expect(await other.text()).not.toContain('KS 2026/114');
  });
});
