import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Fact } from '../../report/schema.js';

/** Writes rule files into a fresh temporary directory; returns the directory. */
export async function writeRuleDir(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'basvakt-rules-'));
  for (const [name, text] of Object.entries(files)) {
    const path = join(dir, name);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, text, 'utf8');
  }
  return dir;
}

export async function removeDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}

/**
 * A minimal valid host rule as YAML text. `fields` replaces or adds top-level fields,
 * each given as the YAML text after the key (`check: 'host.os.platform == "linux"'`).
 */
export function ruleYaml(id: string, fields: Record<string, string> = {}): string {
  const base: Record<string, string> = {
    id,
    title: '{ sv: Testregel, en: Test rule }',
    goals: '[AV]',
    checks: '[AV-01]',
    severity: 'low',
    target: 'host',
    facts: '[os]',
    sources: '[test]',
    check: `'host.os.platform == "linux"'`,
    evidence: '[host.os.platform]',
    rationale: '{ sv: Därför, en: Because }',
    remediation: '{ sv: Gör så här, en: Do this }',
  };
  const merged = { ...base, ...fields };
  return `${Object.entries(merged)
    .filter(([, v]) => v !== '')
    .map(([k, v]) => (v.startsWith('\n') ? `${k}:${v}` : `${k}: ${v}`))
    .join('\n')}\n`;
}

export const COLLECTED_AT = '2026-11-23T06:00:00Z';

export function okFact(name: string, value: unknown, source = `probe ${name}`): Fact {
  return { name, status: 'ok', value, source, collectedAt: COLLECTED_AT };
}

export function failedFact(name: string, status: 'error' | 'unsupported', reason: string): Fact {
  return { name, status, reason, source: `probe ${name}`, collectedAt: COLLECTED_AT };
}

export function linuxOs(overrides: Record<string, unknown> = {}) {
  return {
    platform: 'linux',
    id: 'debian',
    name: 'Debian GNU/Linux 12 (bookworm)',
    version: '12',
    build: null,
    edition: null,
    kernel: '6.1.0-27-amd64',
    arch: 'x64',
    isServer: null,
    ...overrides,
  };
}

export function windowsOs(overrides: Record<string, unknown> = {}) {
  return {
    platform: 'windows',
    id: 'windows',
    name: 'Microsoft Windows 11 Enterprise',
    version: '10.0.26100',
    build: null,
    edition: 'Enterprise',
    kernel: null,
    arch: 'x64',
    isServer: false,
    ...overrides,
  };
}
