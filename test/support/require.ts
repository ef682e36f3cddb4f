import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';

/** True when a program is on PATH (or an absolute path that exists). */
export function hasProgram(program: string): boolean {
  if (program.includes('/')) return existsSync(program);
  return (process.env.PATH ?? '').split(delimiter).some((dir) => existsSync(join(dir, program)));
}

/**
 * For suites that need a real server. Returns true when the programs are there. When
 * they are not: in CI (CI=true) it throws, so the run fails instead of passing
 * silently; on a developer machine the suite is skipped with the reason.
 */
export function requirePrograms(suite: string, programs: readonly string[]): boolean {
  const missing = programs.filter((p) => !hasProgram(p));
  if (missing.length === 0) return true;
  const message = `${suite} needs ${missing.join(', ')}; run scripts/install-test-deps.sh`;
  if (process.env.CI === 'true') throw new Error(message);
  console.warn(`skipped: ${message}`);
  return false;
}
