import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { lintRules, loadRules, runRuleTests } from '../../rules/engine/index.js';
import { removeDir, writeRuleDir } from './support.js';

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map(removeDir));
});

async function lint(files: Record<string, string>) {
  const dir = await writeRuleDir(files);
  dirs.push(dir);
  const report = await lintRules([dir]);
  const show = report.problems.map((p) => ({ severity: p.severity, line: p.line, field: p.field, message: p.message }));
  return { dir, report, show };
}

const numbered = (...lines: string[]) => `${lines.join('\n')}\n`;

const HEAD = [
  /* 1 */ 'id: T-L-001',
  /* 2 */ 'title: { sv: Test, en: Test }',
  /* 3 */ 'goals: [AV]',
  /* 4 */ 'checks: [AV-01]',
  /* 5 */ '# framework links: rules/frameworks/*.yaml',
  /* 6 */ 'severity: low',
  /* 7 */ 'target: host',
  /* 8 */ 'facts: [os]',
  /* 9 */ 'sources: [test]',
  /* 10 */ 'evidence: [host.os.platform]',
  /* 11 */ 'rationale: { sv: Därför, en: Because }',
  /* 12 */ 'remediation: { sv: Gör så, en: Do so }',
  /* 13 */ 'check: host.os.platform == "linux"',
  /* 14 */ 'tests:',
];

const LINUX = '{ platform: linux, id: debian, name: Debian 12, version: "12", build: null, edition: null, kernel: null, arch: x64, isServer: null }';
const WINDOWS = '{ platform: windows, id: windows, name: Windows 11, version: 10.0.26100, build: null, edition: Enterprise, kernel: null, arch: x64, isServer: false }';

const PASS = ['  - name: linux', `    facts: { host: { os: ${LINUX} } }`, '    expect: pass'];
const FAIL = ['  - name: windows', `    facts: { host: { os: ${WINDOWS} } }`, '    expect: fail'];
const UNKNOWN = ['  - name: no os', '    facts: { host: { os: { error: "denied" } } }', '    expect: unknown'];

describe('lintRules', () => {
  it('is clean for a rule with pass, fail and unknown cases', async () => {
    const { report, show } = await lint({ 'T-L-001.yaml': numbered(...HEAD, ...PASS, ...FAIL, ...UNKNOWN) });
    expect(show).toEqual([]);
    expect(report).toMatchObject({ errors: 0, warnings: 0, rules: 1, files: 1 });
    expect(report.tests).toMatchObject({ passed: 3, failed: 0, ok: true });
  });

  it('requires a passing and a failing case (errors) and an unknown case (warning)', async () => {
    const { report, show } = await lint({ 'T-L-001.yaml': numbered(...HEAD, ...PASS) });
    expect(show).toEqual([
      { severity: 'error', line: 14, field: 'tests', message: expect.stringContaining('failing test case') },
      { severity: 'warning', line: 14, field: 'tests', message: expect.stringContaining('unknown case') },
    ]);
    expect(report.errors).toBe(1);
    expect(report.warnings).toBe(1);
  });

  it('reports a failing test case at its expect line', async () => {
    const wrong = ['  - name: windows says pass', `    facts: { host: { os: ${WINDOWS} } }`, '    expect: pass'];
    const { dir, report, show } = await lint({ 'T-L-001.yaml': numbered(...HEAD, ...PASS, ...FAIL, ...UNKNOWN, ...wrong) });
    expect(show).toEqual([{ severity: 'error', line: 26, field: 'tests[3].expect', message: expect.stringContaining('expected pass, got fail') }]);
    expect(report.problems[0]!.file).toBe(join(dir, 'T-L-001.yaml'));
    expect(report.problems[0]!.ruleId).toBe('T-L-001');
  });

  it('reports test facts that do not match the fact catalogue at the field', async () => {
    const badFact = [
      '  - name: typo in a fact',
      '    facts:',
      '      host:',
      '        os:',
      '          platform: linux',
      '          id: debian',
      '          name: Debian',
      '          version: 12',
      '          build: null',
      '          edition: null',
      '          kernel: null',
      '          arch: x64',
      '          isServer: null',
      '    expect: pass',
    ];
    const { show } = await lint({ 'T-L-001.yaml': numbered(...HEAD, ...PASS, ...FAIL, ...UNKNOWN, ...badFact) });
    expect(show).toEqual([
      { severity: 'error', line: 31, field: 'tests[3].facts.host.os.version', message: expect.stringContaining('expected string') },
    ]);
  });

  it('reports a subjects or reason mismatch', async () => {
    const cases = [...PASS, ...FAIL, '    subjects: [x]', ...UNKNOWN, '    reason: something else'];
    const { show } = await lint({ 'T-L-001.yaml': numbered(...HEAD, ...cases) });
    expect(show).toEqual([
      { severity: 'error', line: 21, field: 'tests[1].subjects', message: expect.stringContaining('subjects []') },
      { severity: 'error', line: 25, field: 'tests[2].reason', message: expect.stringContaining('something else') },
    ]);
  });

  it('requires now in every case of a time-dependent rule', async () => {
    const lines = [...HEAD, ...PASS, ...FAIL, '    now: "2026-11-23T00:00:00Z"', ...UNKNOWN];
    lines[12] = 'check: daysUntilEndOfLife(host.os) > 0.0 && host.os.platform == "linux"';
    lines[14] = '  - name: linux\n    now: "2026-11-23T00:00:00Z"';
    const { show } = await lint({ 'T-L-001.yaml': numbered(...lines) });
    expect(show).toEqual([{ severity: 'error', line: 23, field: 'tests[2]', message: expect.stringContaining('give now') }]);
  });

  it('warns about declared facts and parameters nothing reads', async () => {
    const hardware = 'hardware: { chassis: laptop, manufacturer: null, model: null, virtual: false }';
    const withHardware = (c: string[]) => c.map((l) => l.replace('{ host: { os:', `{ host: { ${hardware}, os:`));
    const lines = [...HEAD, ...withHardware(PASS), ...withHardware(FAIL), ...UNKNOWN];
    lines[7] = 'facts: [os, hardware]';
    lines.splice(8, 0, 'params: { unused: 3 }');
    const { show } = await lint({ 'T-L-001.yaml': numbered(...lines) });
    expect(show).toEqual([
      { severity: 'warning', line: 8, field: 'facts[1]', message: expect.stringContaining('host.hardware') },
      { severity: 'warning', line: 9, field: 'params.unused', message: expect.stringContaining('params.unused') },
    ]);
  });

  it('includes load problems as errors', async () => {
    const lines = [...HEAD, ...PASS];
    lines[5] = 'severity: urgent';
    const { report, show } = await lint({ 'T-L-001.yaml': numbered(...lines) });
    expect(show).toEqual([{ severity: 'error', line: 6, field: 'severity', message: expect.any(String) }]);
    expect(report.rules).toBe(0);
  });
});

describe('runRuleTests', () => {
  it('reports each case with expected, actual and reason', async () => {
    const dir = await writeRuleDir({ 'T-L-001.yaml': numbered(...HEAD, ...PASS, ...FAIL, ...UNKNOWN) });
    dirs.push(dir);
    const report = runRuleTests(await loadRules([dir]));
    expect(report.cases).toEqual([
      { ruleId: 'T-L-001', caseName: 'linux', index: 0, expected: 'pass', actual: 'pass', subjects: [], ok: true, field: ['tests', 0] },
      { ruleId: 'T-L-001', caseName: 'windows', index: 1, expected: 'fail', actual: 'fail', subjects: [], ok: true, field: ['tests', 1] },
      {
        ruleId: 'T-L-001',
        caseName: 'no os',
        index: 2,
        expected: 'unknown',
        actual: 'unknown',
        reason: 'host.os: kunde inte samlas in (could not be collected): denied',
        subjects: [],
        ok: true,
        field: ['tests', 2],
      },
    ]);
  });
});
