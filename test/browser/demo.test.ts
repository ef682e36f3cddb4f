import { spawn, type ChildProcess } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { launchBrowser, SCREENSHOT_DIR, type RunningBrowser } from '../support/browser.js';
import { CLI } from '../support/cli.js';
import { requirePrograms } from '../support/require.js';

const ready = requirePrograms('browser tests', ['/usr/bin/chromium', 'pdftotext']);

/** What the issue calls done: a new user runs the demo, opens the dashboard and downloads the PDF. */
describe.skipIf(!ready)('the README demo, followed by a new user in the browser', () => {
  const dir = mkdtempSync(join(tmpdir(), 'basvakt-demo-browser-'));
  let child: ChildProcess | undefined;
  let run: RunningBrowser | undefined;

  afterAll(async () => {
    await run?.close();
    if (child?.pid && child.exitCode === null) {
      child.kill('SIGINT');
      await new Promise((resolve) => child!.once('exit', resolve));
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('prints the dashboard address and a password file, and the dashboard shows the kommun per goal', async () => {
    child = spawn(process.execPath, [CLI, 'demo', '--dir', join(dir, 'demo'), '--keep-running'], { env: { ...process.env, BASVAKT_LANG: '' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const printed = await new Promise<{ url: string; passwordFile: string }>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`demo printed no dashboard address:\n${stdout}\n${stderr}`)), 90_000);
      child!.stdout!.setEncoding('utf8').on('data', (d: string) => {
        stdout += d;
        const match = /Instrumentpanelen: (\S+)\n\s+Logga in som demo med lösenordet i (\S+)/.exec(stdout);
        if (match) {
          clearTimeout(timer);
          resolve({ url: match[1]!, passwordFile: match[2]! });
        }
      });
      child!.once('exit', (code) => reject(new Error(`demo exited with ${code}:\n${stderr}`)));
    });
    expect(stdout).toContain('basvakt demo --keep-running');
    expect(statSync(printed.passwordFile).mode & 0o777).toBe(0o600);
    const password = readFileSync(printed.passwordFile, 'utf8').trim();

    run = await launchBrowser();
    const page = await run.context.newPage();
    await page.goto(printed.url);
    await page.getByLabel('Användarnamn').fill('demo');
    await page.getByLabel('Lösenord').fill(password);
    await page.getByRole('button', { name: 'Logga in' }).click();
    await page.waitForURL(printed.url);
    await expect(page.locator('h1').textContent()).resolves.toBe('Säkerhetsläget i Demokommun');
    // The scan of this machine judged host rules, so at least one goal has a measured share.
    await expect(page.locator('table.goals .progress-text[data-percent]:not([data-percent=""])').count()).resolves.toBeGreaterThan(0);
    await page.screenshot({ path: join(SCREENSHOT_DIR, '20-demo-overview.png'), fullPage: true });

    await page.getByRole('link', { name: 'Rapporter' }).click();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Sammanfattning för nämnden (PDF)' }).click()]);
    const file = join(dir, 'demo.pdf');
    await download.saveAs(file);
    const text = execFileSync('pdftotext', ['-layout', '-enc', 'UTF-8', file, '-'], { encoding: 'utf8' });
    expect(text).toContain('Informationssäkerhet i Demokommun');
    expect(text).toContain('Läget per mål');
  }, 120_000);
});
