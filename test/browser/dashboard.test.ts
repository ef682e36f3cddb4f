import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWorld, call, login, PASSWORD, type World } from '../collector/api/world.js';
import { launchBrowser, SCREENSHOT_DIR, type RunningBrowser } from '../support/browser.js';
import { requirePrograms } from '../support/require.js';
import { seedAmal } from './seed.js';

const ready = requirePrograms('browser tests', ['/usr/bin/chromium', 'pdftotext']);

interface ApiFinding {
  status: string;
  effectiveStatus: string;
  goals: string[];
  ruleId: string;
  targetKind: string;
  targetId: string;
}

/** "66,7 %" → 66.7; "–" → null. */
function shownPercent(text: string | null): number | null {
  const match = /(-?\d+(?:[,.]\d+)?)\s*%/.exec(text ?? '');
  return match ? Number(match[1]!.replace(',', '.')) : null;
}

function goalPercent(findings: readonly ApiFinding[], goal: string): number | null {
  const mine = findings.filter((f) => f.goals.includes(goal) && ['pass', 'fail', 'unknown', 'waived'].includes(f.effectiveStatus));
  if (mine.length === 0) return null;
  return Math.round((mine.filter((f) => f.status === 'pass').length / mine.length) * 1000) / 10;
}

describe.skipIf(!ready)('the dashboard in Debian Chromium', () => {
  let world: World;
  let run: RunningBrowser;
  let page: Page;
  const shots: string[] = [];

  async function shot(name: string): Promise<void> {
    await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`), fullPage: true });
    shots.push(name);
  }

  async function api<T>(path: string): Promise<T> {
    const session = (await login(world, 'officer-a')).session!;
    return (await (await call(world, 'GET', path, { session })).json()) as T;
  }

  beforeAll(async () => {
    world = await buildWorld();
    await seedAmal(world);
    run = await launchBrowser();
    page = await run.context.newPage();
  }, 60_000);
  afterAll(async () => {
    await run?.close();
    await world?.close();
  });

  it('sends a visitor to the login form, and logs in with the keyboard', async () => {
    await page.goto(`${world.base}/t/amal`);
    expect(new URL(page.url()).pathname).toBe('/login');
    await expect(page.locator('h1').textContent()).resolves.toBe('Logga in');
    await shot('01-login');
    await page.getByLabel('Användarnamn').fill('officer-a');
    await page.getByLabel('Lösenord').fill(PASSWORD);
    await page.keyboard.press('Enter');
    await page.waitForURL(`${world.base}/t/amal`);
    await expect(page.locator('h1').textContent()).resolves.toContain('Åmåls kommun');
  });

  it('shows on the overview the same numbers as the API, per goal too', async () => {
    const score = await api<{ score: { withoutWaivers: { percent: number }; withWaivers: { percent: number } } }>('/api/v1/tenants/amal/score');
    const { findings } = await api<{ findings: ApiFinding[] }>('/api/v1/tenants/amal/findings');
    expect(shownPercent(await page.locator('[data-score="withoutWaivers"]').textContent())).toBe(score.score.withoutWaivers.percent);
    expect(shownPercent(await page.locator('[data-score="withWaivers"]').textContent())).toBe(score.score.withWaivers.percent);
    expect(Number(await page.locator('[data-count="fail"]').textContent())).toBe(findings.filter((f) => f.effectiveStatus === 'fail').length);
    for (const goal of ['AV', 'SEG', 'TRACE', 'ID', 'CRYPTO', 'SSO']) {
      const cell = page.locator(`table.goals tr[data-goal="${goal}"] .progress-text`).first();
      const shown = await cell.getAttribute('data-percent');
      const expected = goalPercent(findings, goal);
      expect(shown === '' ? null : Number(shown), `goal ${goal}`).toBe(expected);
    }
    // The SSO target is "more than half", and it says so.
    await expect(page.locator('tr[data-goal="SSO"]').first().textContent()).resolves.toMatch(/Inga data ännu|> 50 %/);
    await expect(page.locator('svg.trend').count()).resolves.toBe(1);
    await shot('02-overview');
  });

  it('reaches the content with the skip link and the keyboard alone', async () => {
    await page.goto(`${world.base}/t/amal`);
    await page.keyboard.press('Tab');
    await expect(page.evaluate('document.activeElement && document.activeElement.textContent')).resolves.toBe('Hoppa till innehållet');
    await page.keyboard.press('Enter');
    await expect(page.evaluate('document.activeElement && document.activeElement.id')).resolves.toBe('main');
    // Every table header names its scope, and every form field has a label.
    const unscoped = await page.locator('th:not([scope])').count();
    expect(unscoped).toBe(0);
  });

  it('opens every page of the kommun without an error', async () => {
    const pages: [string, string, string][] = [
      ['/t/amal/findings', 'Resultat', '03-findings'],
      ['/t/amal/findings?status=&goal=AV', 'Resultat', '04-findings-filtered'],
      ['/t/amal/targets', 'Enheter', '05-targets'],
      ['/t/amal/targets/host/machine-amal-pc01', 'amal-pc01', '06-target'],
      ['/t/amal/agents', 'Agenter', '07-agents'],
      ['/t/amal/waivers', 'Undantag', '08-waivers'],
      ['/t/amal/audit', 'Händelselogg', '09-audit'],
      ['/t/amal/settings', 'Inställningar', '10-settings'],
      ['/t/amal/reports', 'Rapporter', '11-reports'],
      ['/t/amal/reports/frameworks', 'Ramverk', '12-frameworks'],
      ['/t/amal/reports/summary', 'Informationssäkerhet i Åmåls kommun', '13-summary'],
      ['/regler', 'Regelkatalog', '12b-catalogue'],
      ['/regler/BV-AV-001', 'BV-AV-001', '12c-catalogue-rule'],
    ];
    for (const [path, heading, name] of pages) {
      const response = await page.goto(`${world.base}${path}`);
      expect(response?.status(), path).toBe(200);
      await expect(page.locator('h1').first().textContent(), path).resolves.toContain(heading);
      await shot(name);
    }
    // The findings list counts what the API counts.
    await page.goto(`${world.base}/t/amal/findings`);
    const { findings } = await api<{ findings: ApiFinding[] }>('/api/v1/tenants/amal/findings');
    expect(Number(await page.locator('[data-total]').getAttribute('data-total'))).toBe(findings.filter((f) => f.effectiveStatus === 'fail').length);
    // An unmapped requirement is never shown as met.
    await page.goto(`${world.base}/t/amal/reports/frameworks`);
    await expect(page.locator('tr[data-coverage="not-covered"][data-result="met"]').count()).resolves.toBe(0);
    await expect(page.locator('tr[data-coverage="not-covered"]').count()).resolves.toBeGreaterThan(10);
  });

  it('grants a waiver from a finding page, and the scores follow the API', async () => {
    const { findings } = await api<{ findings: ApiFinding[] }>('/api/v1/tenants/amal/findings?status=fail');
    const target = findings.find((f) => f.effectiveStatus === 'fail' && f.ruleId === 'BV-FW-001')!;
    await page.goto(`${world.base}/t/amal/findings/${target.ruleId}/${target.targetKind}/${encodeURIComponent(target.targetId)}`);
    await expect(page.locator('h2', { hasText: 'Underlag' }).count()).resolves.toBe(1);
    await expect(page.locator('h2', { hasText: 'Så åtgärdar du' }).count()).resolves.toBe(1);
    await expect(page.locator('h2', { hasText: 'Historik' }).count()).resolves.toBe(1);
    await shot('14-finding');
    await page.getByLabel('Motivering (minst 10 tecken)').fill('Brandväggen byts ut i januari; servern står i ett låst rum.');
    await page.getByLabel('Riskägare').fill('IT-chef Åmål');
    await page.getByRole('button', { name: 'Bevilja undantag' }).click();
    await page.waitForURL(/waiver=granted/);
    await expect(page.locator('.notice').textContent()).resolves.toContain('Undantaget är beviljat');
    await expect(page.locator('[data-status]').getAttribute('data-status')).resolves.toBe('waived');
    await shot('15-finding-waived');
    const waivers = await api<{ waivers: { ruleId: string; targetId: string; riskOwner: string }[] }>('/api/v1/tenants/amal/waivers');
    expect(waivers.waivers.some((w) => w.ruleId === 'BV-FW-001' && w.targetId === target.targetId && w.riskOwner === 'IT-chef Åmål')).toBe(true);
    const score = await api<{ score: { withWaivers: { percent: number } } }>('/api/v1/tenants/amal/score');
    await page.goto(`${world.base}/t/amal`);
    expect(shownPercent(await page.locator('[data-score="withWaivers"]').textContent())).toBe(score.score.withWaivers.percent);
  });

  it('switches to English and back', async () => {
    await page.goto(`${world.base}/t/amal?lang=en`);
    await expect(page.locator('nav.main-nav').textContent()).resolves.toContain('Overview');
    await page.goto(`${world.base}/t/amal/findings`);
    await expect(page.locator('h1').textContent()).resolves.toBe('Findings');
    await shot('18-findings-en');
    await page.goto(`${world.base}/t/amal?lang=sv`);
    await expect(page.locator('nav.main-nav').textContent()).resolves.toContain('Översikt');
  });

  it('downloads the PDF for the nämnd, and its text has every section', async () => {
    await page.goto(`${world.base}/t/amal/reports`);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Sammanfattning för nämnden (PDF)' }).click()]);
    const dir = mkdtempSync(join(tmpdir(), 'basvakt-pdf-test-'));
    try {
      const file = join(dir, 'report.pdf');
      await download.saveAs(file);
      const text = execFileSync('pdftotext', ['-layout', '-enc', 'UTF-8', file, '-'], { encoding: 'utf8' });
      for (const section of ['Informationssäkerhet i Åmåls kommun', 'Sammanfattning', 'Läget per mål', 'Utvecklingen under perioden', 'Accepterade risker', 'De tio viktigaste åtgärderna']) {
        expect(text, section).toContain(section);
      }
      expect(text).toContain('Datorns brandvägg är påslagen');
      execFileSync('pdftoppm', ['-png', '-r', '60', '-f', '1', '-l', '1', file, join(SCREENSHOT_DIR, '16-pdf-page')]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('shows the IT-chefsgruppen every member side by side, the weakest marked in words', async () => {
    const other = await run.browser.newContext({ viewport: { width: 1280, height: 900 } });
    const chefs = await other.newPage();
    try {
      await chefs.goto(`${world.base}/login`);
      await chefs.getByLabel('Användarnamn').fill('chefsgruppen');
      await chefs.getByLabel('Lösenord').fill(PASSWORD);
      await chefs.getByRole('button', { name: 'Logga in' }).click();
      await chefs.waitForURL(`${world.base}/`);
      await chefs.getByRole('link', { name: 'Dalslandskommunerna' }).click();
      await expect(chefs.locator('table.federation thead th').allTextContents()).resolves.toEqual(expect.arrayContaining([expect.stringContaining('Åmåls kommun'), expect.stringContaining('Bengtsfors kommun')]));
      await expect(chefs.locator('.weakest-mark').count()).resolves.toBeGreaterThan(0);
      await chefs.screenshot({ path: join(SCREENSHOT_DIR, '17-federation.png'), fullPage: true });
      // Read-only: no waiver form for the federation viewer, and kommun pages are readable.
      const response = await chefs.goto(`${world.base}/t/bengtsfors/audit`);
      expect(response?.status()).toBe(404);
    } finally {
      await other.close();
    }
  });

  it('kept the screenshots', () => {
    expect(shots.length).toBeGreaterThanOrEqual(14);
  });
});
