import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUNDLED_RULE_DIRS, lintRules } from '../../rules/engine/index.js';
import { runRules } from './run-cli.js';
import { removeDir, writeRuleDir } from './support.js';

/** A kommun's own pack, as `basvakt rules lint DIR` and `rules test DIR` see it: every problem at file, line, column and field. */

const numbered = (...lines: string[]) => `${lines.join('\n')}\n`;

const LINUX = '{ platform: linux, id: debian, name: Debian 12, version: "12", build: null, edition: null, kernel: null, arch: x64, isServer: null }';
const WINDOWS = '{ platform: windows, id: windows, name: Windows 11, version: 10.0.26100, build: null, edition: Enterprise, kernel: null, arch: x64, isServer: false }';

const head = (id: string) => [
  /* 1 */ `id: ${id}`,
  /* 2 */ 'title: { sv: Kommunens egen regel, en: The kommun’s own rule }',
  /* 3 */ 'goals: [AV]',
  /* 4 */ 'severity: low',
  /* 5 */ 'target: host',
  /* 6 */ 'facts: [os]',
  /* 7 */ 'sources: [Åmåls IT-säkerhetsinstruktion]',
  /* 8 */ 'evidence: [host.os.platform]',
  /* 9 */ 'rationale: { sv: Därför, en: Because }',
  /* 10 */ 'remediation: { sv: Gör så, en: Do so }',
];
const CHECK = /* 11 */ 'check: host.os.platform == "linux"';
const TESTS = [
  /* 12 */ 'tests:',
  '  - name: linux',
  `    facts: { host: { os: ${LINUX} } }`,
  '    expect: pass',
  '  - name: windows',
  `    facts: { host: { os: ${WINDOWS} } }`,
  '    expect: fail',
  '  - name: no os',
  '    facts: { host: { os: { error: "denied" } } }',
  '    expect: unknown',
];

const FILES: Record<string, string> = {
  // Clean: a kommun rule that passes lint.
  'AMAL-OK-001.yaml': numbered(...head('AMAL-OK-001'), CHECK, ...TESTS),
  // YAML syntax: a flow map that is never closed.
  'AMAL-YML-001.yaml': numbered(...head('AMAL-YML-001').slice(0, 3), 'severity: { low', ...head('AMAL-YML-001').slice(4), CHECK, ...TESTS),
  // Schema: a severity that does not exist, and a misspelt key.
  'AMAL-SCH-001.yaml': numbered(...head('AMAL-SCH-001').slice(0, 3), 'severity: urgent', ...head('AMAL-SCH-001').slice(4), CHECK, 'remedation: { sv: x, en: y }', ...TESTS),
  // CEL: an operator with nothing after it, inside check.
  'AMAL-CEL-001.yaml': numbered(...head('AMAL-CEL-001'), 'check: host.os.platform == "linux" &&', ...TESTS),
  // A fact that is not in the catalogue.
  'AMAL-FCT-001.yaml': numbered(...head('AMAL-FCT-001').slice(0, 5), 'facts: [os, antivirs]', ...head('AMAL-FCT-001').slice(6), CHECK, ...TESTS),
  // The id of a bundled rule.
  'BV-AV-001.yaml': numbered(...head('BV-AV-001'), CHECK, ...TESTS),
  // A file name that is not the id.
  'amal-regel.yaml': numbered(...head('AMAL-NAM-001'), CHECK, ...TESTS),
  // Only a passing case.
  'AMAL-TST-001.yaml': numbered(...head('AMAL-TST-001'), CHECK, ...TESTS.slice(0, 4)),
};

describe("a kommun's own rule pack", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await writeRuleDir(FILES);
  });
  afterAll(() => removeDir(dir));

  it('lint names file, line, column and field of every problem, checked against the bundled packs', async () => {
    const report = await lintRules([dir], { contextDirs: BUNDLED_RULE_DIRS });
    const at = (name: string) => join(dir, name);
    expect(report.problems.map((p) => ({ file: p.file, line: p.line, column: p.column, field: p.field, severity: p.severity, message: p.message }))).toEqual([
      { file: at('AMAL-CEL-001.yaml'), line: 11, column: 38, field: 'check', severity: 'error', message: 'syntaxfel (syntax error): Unexpected token: EOF' },
      { file: at('AMAL-FCT-001.yaml'), line: 6, column: 13, field: 'facts[1]', severity: 'error', message: 'okänd fakta "antivirs" för host (not in the fact catalogue)' },
      { file: at('amal-regel.yaml'), line: 1, column: 1, field: 'id', severity: 'error', message: 'filen ska heta AMAL-NAM-001.yaml (the file name must be the rule id)' },
      { file: at('AMAL-SCH-001.yaml'), line: 4, column: 1, field: 'severity', severity: 'error', message: 'Invalid option: expected one of "critical"|"high"|"medium"|"low"|"info"' },
      { file: at('AMAL-SCH-001.yaml'), line: 12, column: 1, field: 'remedation', severity: 'error', message: 'Unrecognized key: "remedation"' },
      { file: at('AMAL-TST-001.yaml'), line: 12, column: 1, field: 'tests', severity: 'error', message: 'inget testfall väntar fail (every rule needs a failing test case)' },
      { file: at('AMAL-TST-001.yaml'), line: 12, column: 1, field: 'tests', severity: 'warning', message: 'inget testfall med en fakta som inte kunde samlas in (add an unknown case with a fact written as { error: "…" })' },
      // The parser notices the unclosed flow map on line 4 at the start of line 5.
      { file: at('AMAL-YML-001.yaml'), line: 5, column: 1, field: '', severity: 'error', message: 'YAML-syntaxfel (YAML syntax error): Flow map in block collection must be sufficiently indented and end with a }' },
      { file: at('BV-AV-001.yaml'), line: 1, column: 1, field: 'id', severity: 'error', message: `id BV-AV-001 finns redan: en medföljande regel i ${join(BUNDLED_RULE_DIRS[0]!, 'basvakt', 'host', 'BV-AV-001.yaml')} (clashes with a bundled rule)` },
    ]);
    // Only the kommun's files are counted and linted; the bundled packs are context.
    expect(report).toMatchObject({ files: Object.keys(FILES).length, rules: 2 });
  });

  it('`basvakt rules lint DIR` prints file:line:column, severity, field and message, and fails', async () => {
    const { code, out } = await runRules(['lint', dir]);
    expect(code).toBe(1);
    expect(out).toContain(`${join(dir, 'AMAL-CEL-001.yaml')}:11:38: fel: check: syntaxfel (syntax error): Unexpected token: EOF\n`);
    expect(out).toContain(`${join(dir, 'AMAL-FCT-001.yaml')}:6:13: fel: facts[1]: okänd fakta "antivirs" för host (not in the fact catalogue)\n`);
    expect(out).toMatch(/8 filer, 2 regler: 8 fel, 1 varningar\n$/);
  });

  it('`basvakt rules test DIR` refuses a pack that does not load, naming every problem', async () => {
    await expect(runRules(['test', dir])).rejects.toThrow(`${join(dir, 'AMAL-CEL-001.yaml')}:11:38: check: syntaxfel (syntax error): Unexpected token: EOF`);
  });

  it('`basvakt rules test DIR` runs only the kommun rules, which may aggregate bundled ones', async () => {
    const ok = await writeRuleDir({
      'AMAL-OK-001.yaml': FILES['AMAL-OK-001.yaml']!,
      'AMAL-AV-010.yaml': numbered(
        'id: AMAL-AV-010',
        'title: { sv: Alla datorer har virusskydd, en: Every host has anti-virus }',
        'goals: [AV]',
        'severity: high',
        'target: tenant',
        'aggregate: { rules: [BV-AV-001] }',
        'sources: [Åmåls IT-säkerhetsinstruktion]',
        'check: aggregate.passPercent >= 100.0',
        'evidence: [aggregate.passPercent]',
        'rationale: { sv: Därför, en: Because }',
        'remediation: { sv: Gör så, en: Do so }',
        'tests:',
        '  - { name: alla, aggregate: { pass: 3 }, expect: pass }',
        '  - { name: en saknar, aggregate: { pass: 2, fail: 1 }, expect: fail }',
        '  - { name: okänd, aggregate: { pass: 2, unknown: 1 }, expect: unknown }',
      ),
    });
    try {
      const { code, out } = await runRules(['test', ok, '--verbose']);
      expect(code).toBe(0);
      expect(out.split('\n').filter((l) => l.startsWith('✓')).map((l) => l.split(':')[0])).toEqual([
        '✓ AMAL-AV-010', '✓ AMAL-AV-010', '✓ AMAL-AV-010', '✓ AMAL-OK-001', '✓ AMAL-OK-001', '✓ AMAL-OK-001',
      ]);
      expect(out).toMatch(/^6 passed, 0 failed$/m);
    } finally {
      await removeDir(ok);
    }
  });
});
