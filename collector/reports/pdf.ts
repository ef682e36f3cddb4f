import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

/** Debian's Chromium, installed by the project's scripts; BASVAKT_CHROMIUM points elsewhere. */
export function chromiumPath(): string {
  return process.env.BASVAKT_CHROMIUM ?? '/usr/bin/chromium';
}

export function canRenderPdf(): boolean {
  return existsSync(chromiumPath());
}

/**
 * Flags for a closed network: without the background-networking ones Chromium keeps trying
 * to reach Google's hosts. `--headless` comes from playwright's own option.
 */
export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

let queue: Promise<unknown> = Promise.resolve();

/** HTML (self-contained: inline CSS, no external requests) to an A4 PDF; one render at a time. */
export function htmlToPdf(html: string): Promise<Buffer> {
  const run = queue.then(async () => {
    const temp = await mkdtemp(join(tmpdir(), 'basvakt-pdf-'));
    const browser = await chromium.launch({ executablePath: chromiumPath(), headless: true, args: CHROMIUM_ARGS, env: { ...process.env, TMPDIR: temp }, timeout: 30_000 });
    try {
      const page = await browser.newPage({ javaScriptEnabled: false });
      // Nothing may leave the machine: a report that tried to load anything is stopped here.
      await page.route('**/*', (route) => (route.request().url().startsWith('data:') ? route.continue() : route.abort()));
      await page.setContent(html, { waitUntil: 'load' });
      return await page.pdf({ format: 'A4', printBackground: true, margin: { top: '18mm', bottom: '18mm', left: '16mm', right: '16mm' } });
    } finally {
      await browser.close();
      await rm(temp, { recursive: true, force: true });
    }
  });
  queue = run.catch(() => undefined);
  return run;
}
