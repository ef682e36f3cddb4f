import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Where basvakt's own files are, found by walking up from this module to basvakt's
 * package.json. Works from the sources (rules/engine/paths.ts) and from the compiled
 * output (dist/rules/engine/paths.js); the rule packs are not copied into dist.
 */
function findPackageRoot(start: string): string {
  let dir = start;
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) {
      try {
        const parsed = JSON.parse(readFileSync(manifest, 'utf8')) as { name?: unknown };
        if (parsed.name === 'basvakt') return dir;
      } catch {
        // not ours; keep walking
      }
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`basvakt: package.json not found above ${start}`);
    dir = parent;
  }
}

export const PACKAGE_ROOT: string = findPackageRoot(dirname(fileURLToPath(import.meta.url)));

/** The rule packs shipped with basvakt. */
export const BUNDLED_RULE_DIRS: readonly string[] = [join(PACKAGE_ROOT, 'rules', 'packs')];

/** End-of-life dates of operating systems, used by `daysUntilEndOfLife`. */
export const OS_LIFECYCLE_FILE: string = join(PACKAGE_ROOT, 'rules', 'data', 'os-lifecycle.yaml');
