import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '..', '..');
const SOURCES = ['agent', 'collector', 'rules', 'report', 'common', 'cli'];

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(path));
    else if (entry.name.endsWith('.ts')) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

/** End-to-end tests run the compiled CLI, as a municipal server would: build it when stale. */
export default function setup(): void {
  const cli = join(ROOT, 'dist', 'cli', 'main.js');
  const built = existsSync(cli) ? statSync(cli).mtimeMs : 0;
  const newest = Math.max(...SOURCES.map((s) => newestSource(join(ROOT, s))));
  if (newest <= built) return;
  try {
    execFileSync('npm', ['run', '--silent', 'build'], { cwd: ROOT, stdio: 'inherit' });
  } catch {
    // tsc still emits JavaScript when it reports type errors; scripts/test.sh builds strictly
    // before the suite, so type errors fail CI there, not here in the middle of a change.
    console.warn('global-setup: the build reported errors; end-to-end tests run on what was emitted');
  }
}
