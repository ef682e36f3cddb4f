import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext } from 'playwright-core';
import { CHROMIUM_ARGS, chromiumPath } from '../../collector/reports/pdf.js';

export const SCREENSHOT_DIR = join(import.meta.dirname, '..', '..', 'test-results', 'screenshots');

export interface RunningBrowser {
  browser: Browser;
  context: BrowserContext;
  close(): Promise<void>;
}

/**
 * Debian's Chromium under playwright-core, with the flags a closed network needs and a temp
 * dir of its own (a failed launch leaves profile folders in TMPDIR), removed on close.
 */
export async function launchBrowser(): Promise<RunningBrowser> {
  const temp = mkdtempSync(join(tmpdir(), 'basvakt-browser-'));
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const browser = await chromium.launch({ executablePath: chromiumPath(), headless: true, args: CHROMIUM_ARGS, env: { ...process.env, TMPDIR: temp }, timeout: 30_000 });
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'sv-SE', acceptDownloads: true });
  return {
    browser,
    context,
    async close() {
      await context.close().catch(() => undefined);
      await browser.close().catch(() => undefined);
      rmSync(temp, { recursive: true, force: true });
    },
  };
}
