import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWorld, login, type Session, type World } from '../api/world.js';

/** The Regelkatalog pages and the framework view, rendered by the collector, read over HTTP. */
describe('dashboard: rule catalogue and framework coverage', () => {
  let world: World;
  let viewer: Session;

  beforeAll(async () => {
    world = await buildWorld();
    viewer = (await login(world, 'viewer-a')).session!;
  });
  afterAll(async () => world.close());

  const get = (path: string, session?: Session) => fetch(`${world.base}${path}`, { redirect: 'manual', headers: session ? { cookie: session.cookie } : {} });
  const page = async (path: string, session: Session = viewer) => {
    const response = await get(path, session);
    return { status: response.status, html: await response.text() };
  };

  it('asks a visitor without a session to log in', async () => {
    const response = await get('/regler');
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/login?next=%2Fregler');
  });

  it('lists every rule and manual control by goal, in Swedish first and in English on request', async () => {
    const { status, html } = await page('/regler');
    expect(status).toBe(200);
    expect(html).toContain('<html lang="sv">');
    expect(html).toContain('<h1>Regelkatalog</h1>');
    expect(html).toMatch(/<section aria-labelledby="goal-av" data-goal="AV">/);
    expect(html).toMatch(/<tr data-rule="BV-AV-001" data-kind="automated"><th scope="row"><a href="\/regler\/BV-AV-001\?lang&#61;sv"><code>BV-AV-001<\/code><\/a><\/th><td>Datorn har ett virusskydd som är igång med realtidsskydd<\/td>/);
    expect(html).toMatch(/<tr data-rule="BV-PROC-M01" data-kind="manual">.*manuell kontroll \(intygas av en person\)<\/td><\/tr>/);
    const english = await page('/regler?lang=en');
    expect(english.html).toContain('<html lang="en">');
    expect(english.html).toContain('<h1>Rule catalogue</h1>');
    expect(english.html).toContain('The host has anti-virus protection running with real-time protection on');
  });

  it('shows one rule with what it checks, its parameters, sources and the framework requirements with reasons', async () => {
    const { status, html } = await page('/regler/BV-AV-001');
    expect(status).toBe(200);
    expect(html).toContain('<h1><span class="goal-id">BV-AV-001</span> Datorn har ett virusskydd som är igång med realtidsskydd</h1>');
    expect(html).toContain('<code>host.antivirus</code>');
    expect(html).toContain('<th scope="row"><code>requireRealTimeProtection</code></th><td>true</td>');
    expect(html).toMatch(/<tr data-framework="iso27002-2022" data-requirement="8.7"><th scope="row">ISO\/IEC 27002:2022 <span class="goal-id">8.7<\/span> Skydd mot skadlig kod<\/th><td>Ett virusskydd är installerat, igång och har realtidsskydd på datorn.<\/td><\/tr>/);
    // Commands in the remediation stay as code.
    expect(html).toContain('<pre><code>Get-MpComputerStatus');
    const manual = await page('/regler/BV-BAK-M01');
    expect(manual.html).toContain('<dd data-kind="manual">manuell kontroll (intygas av en person)</dd>');
    expect(manual.html).toContain('<strong>Fråga att intyga:</strong> Finns en säkerhetskopia');
    expect(manual.html).toContain('Intyget gäller högst 12 månader.');
    const missing = await page('/regler/BV-NOPE-999');
    expect(missing.status).toBe(404);
    expect(missing.html).toContain('Regeln finns inte i regelpaketen.');
  });

  it('is in the menu of every tenant page', async () => {
    const { html } = await page('/t/amal');
    expect(html).toContain('<li><a href="/regler?lang&#61;sv">Regelkatalog</a></li>');
  });

  it('shows each framework from its file: requirement, coverage, the tenant result and the rules with reasons; not covered is visible and not met', async () => {
    const { status, html } = await page('/t/amal/reports/frameworks');
    expect(status).toBe(200);
    for (const id of ['bits', 'iso27002-2022', 'cis-v8', 'msbfs-2020-7', 'nis2-art21']) expect(html).toContain(`data-framework="${id}"`);
    // Åmål's host fails BV-AV-001, so 8.7 is not met; nothing has been judged for 8.8.
    expect(html).toMatch(/<tr data-requirement="8.7" data-coverage="automated" data-result="not-met" class="depth-0">/);
    expect(html).toMatch(/<li data-rule="BV-AV-001"><a href="\/regler\/BV-AV-001\?lang=sv"><code>BV-AV-001<\/code><\/a> <span class="badge status-fail">underkänd<\/span> <span class="muted">Ett virusskydd är installerat/);
    expect(html).toMatch(/<tr data-requirement="7.1" data-coverage="not-covered" data-result="not-assessed" class="depth-0">/);
    expect(html).toMatch(/<tr data-requirement="10.1" data-coverage="automated" data-result="[a-z-]+" class="depth-1">/);
    expect(html).toContain('93 krav: 23 automatiserade, 15 manuella, 55 inte täckta (40,9 % täckta). 0 uppfyllda (0 %); krav som inte täcks räknas som inte uppfyllda.');
    expect(html).toContain('153 delkrav');
  });
});
