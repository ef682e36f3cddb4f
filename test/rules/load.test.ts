import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadRules, RuleLoadError, type RuleProblem } from '../../rules/engine/index.js';
import { removeDir, ruleYaml, writeRuleDir } from './support.js';

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map(removeDir));
});

async function problemsFor(files: Record<string, string>, extraDirs: string[] = []): Promise<{ dir: string; problems: RuleProblem[] }> {
  const dir = await writeRuleDir(files);
  dirs.push(dir);
  try {
    await loadRules([dir, ...extraDirs]);
  } catch (error) {
    expect(error).toBeInstanceOf(RuleLoadError);
    return { dir, problems: (error as RuleLoadError).problems };
  }
  throw new Error('loadRules did not throw');
}

/** A rule file with numbered lines, so the expected line numbers can be read off. */
const numbered = (...lines: string[]) => `${lines.join('\n')}\n`;

const HEAD = [
  /* 1 */ 'id: T-X-001',
  /* 2 */ 'title: { sv: Test, en: Test }',
  /* 3 */ 'goals: [AV]',
  /* 4 */ 'checks: [AV-01]',
  /* 5 */ 'severity: low',
  /* 6 */ 'target: host',
  /* 7 */ 'facts: [os]',
  /* 8 */ 'sources: [test]',
  /* 9 */ 'rationale: { sv: Därför, en: Because }',
  /* 10 */ 'remediation: { sv: Gör så, en: Do so }',
];

describe('loadRules', () => {
  it('loads a valid rule', async () => {
    const dir = await writeRuleDir({ 'T-X-001.yaml': numbered(...HEAD, 'check: host.os.platform == "linux"') });
    dirs.push(dir);
    const set = await loadRules([dir]);
    expect(set.rules.map((r) => r.id)).toEqual(['T-X-001']);
    expect(set.rules[0]!.file).toBe(join(dir, 'T-X-001.yaml'));
  });

  it('names file, line and field of a schema violation', async () => {
    const lines = [...HEAD, 'check: host.os.platform == "linux"'];
    lines[4] = 'severity: urgent';
    const { dir, problems } = await problemsFor({ 'T-X-001.yaml': numbered(...lines) });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ file: join(dir, 'T-X-001.yaml'), path: 'severity', line: 5 });
  });

  it('reports an unknown key at the key', async () => {
    const { problems } = await problemsFor({ 'T-X-001.yaml': numbered(...HEAD, 'check: host.os.platform == "linux"', 'sevrity: low') });
    expect(problems).toMatchObject([{ path: 'sevrity', line: 12 }]);
    expect(problems[0]!.message).toContain('sevrity');
  });

  it('reports bad YAML with its line', async () => {
    const { problems } = await problemsFor({ 'T-X-001.yaml': numbered(...HEAD, 'check: host.os.platform == "linux"', 'severity: high') });
    expect(problems).toHaveLength(1);
    expect(problems[0]!.line).toBe(12);
  });

  it('reports a CEL syntax error at the line of the expression', async () => {
    const { problems } = await problemsFor({ 'T-X-001.yaml': numbered(...HEAD, 'check: host.os.platform ==') });
    expect(problems).toMatchObject([{ path: 'check', line: 11 }]);
    expect(problems[0]!.message).toMatch(/^syntaxfel \(syntax error\)/);
  });

  it('reports a CEL error inside a block scalar at the line where it is', async () => {
    const { problems } = await problemsFor({
      'T-X-001.yaml': numbered(
        ...HEAD,
        /* 11 */ 'check: |-',
        /* 12 */ '  host.os.platform == "linux"',
        /* 13 */ '  && host.os.arch == "x64"',
        /* 14 */ '  && nosuchFunction(host.os.id)',
      ),
    });
    expect(problems).toMatchObject([{ path: 'check', line: 14 }]);
    expect(problems[0]!.message).toContain('nosuchFunction');
  });

  it('refuses unknown goals and BITS check ids, and framework fields in rules', async () => {
    const lines = [...HEAD, 'check: host.os.platform == "linux"'];
    lines[2] = 'goals: [AV, VIRUS]';
    lines[3] = 'checks: [AV-01, AV-99]';
    const { problems } = await problemsFor({ 'T-X-001.yaml': numbered(...lines) });
    expect(problems.map((p) => [p.path, p.line, p.column])).toEqual([
      ['goals[1]', 3, 13],
      ['checks[1]', 4, 17],
    ]);
    expect(problems[1]!.message).toBe('okänd kontroll "AV-99" (unknown BITS.md §3 check id); se rules/frameworks/bits.yaml');
    // Framework links live in rules/frameworks/*.yaml; the old keys are refused at the key.
    const old = await problemsFor({ 'T-X-001.yaml': numbered(...HEAD, 'check: host.os.platform == "linux"', 'refs: { cis_v8: ["10.1"] }') });
    expect(old.problems).toMatchObject([{ path: 'refs', line: 12, column: 1, message: 'Unrecognized key: "refs"' }]);
  });

  it('refuses facts that are not in the catalogue and expressions reading undeclared facts or params', async () => {
    const lines = [...HEAD, 'check: host.os.platform == "linux" && host.patches.pendingSecurity == 0.0 && params.max > 1.0'];
    lines[6] = 'facts: [os, antivirs]';
    const { problems } = await problemsFor({ 'T-X-001.yaml': numbered(...lines) });
    expect(problems.map((p) => [p.path, p.line])).toEqual([['facts[1]', 7]]);
    expect(problems[0]!.message).toContain('antivirs');

    const second = await problemsFor({ 'T-X-001.yaml': numbered(...HEAD, 'check: host.os.platform == "linux" && host.patches.pendingSecurity == 0.0 && params.max > 1.0') });
    expect(second.problems.map((p) => [p.path, p.line])).toEqual([
      ['check', 11],
      ['check', 11],
    ]);
    expect(second.problems[0]!.message).toContain('host.patches');
    expect(second.problems[1]!.message).toContain('params.max');
  });

  it('refuses evidence outside the declared facts or the fact schema', async () => {
    const { problems } = await problemsFor({
      'T-X-001.yaml': numbered(
        ...HEAD,
        /* 11 */ 'check: host.os.platform == "linux"',
        /* 12 */ 'evidence:',
        /* 13 */ '  - host.os.version',
        /* 14 */ '  - host.patches.pendingSecurity',
        /* 15 */ '  - host.os.versoin',
        /* 16 */ '  - directory.os.id',
      ),
    });
    expect(problems.map((p) => [p.path, p.line])).toEqual([
      ['evidence[1]', 14],
      ['evidence[2]', 15],
      ['evidence[3]', 16],
    ]);
    expect(problems[1]!.message).toContain('versoin');
  });

  it('refuses a check that is not boolean', async () => {
    const { problems } = await problemsFor({ 'T-X-001.yaml': numbered(...HEAD, 'check: size(host.os.name)') });
    expect(problems).toMatchObject([{ path: 'check', line: 11 }]);
    expect(problems[0]!.message).toContain('expected bool');
  });

  it('refuses unknown parameters in test cases', async () => {
    const { problems } = await problemsFor({
      'T-X-001.yaml': numbered(
        ...HEAD,
        /* 11 */ 'check: host.os.platform == "linux" && params.max > 1.0',
        /* 12 */ 'params: { max: 2 }',
        /* 13 */ 'tests:',
        /* 14 */ '  - name: a',
        /* 15 */ '    facts: { host: {} }',
        /* 16 */ '    params:',
        /* 17 */ '      max: 3',
        /* 18 */ '      maximum: 4',
        /* 19 */ '    expect: unknown',
        /* 20 */ '  - name: b',
        /* 21 */ '    params: { max: "3" }',
        /* 22 */ '    expect: unknown',
      ),
    });
    expect(problems.map((p) => [p.path, p.line])).toEqual([
      ['tests[0].params.maximum', 18],
      ['tests[1].params.max', 21],
    ]);
  });

  it('requires the file name to be the rule id', async () => {
    const { problems } = await problemsFor({ 'other-name.yaml': numbered(...HEAD, 'check: host.os.platform == "linux"') });
    expect(problems).toMatchObject([{ path: 'id', line: 1 }]);
  });

  it('refuses duplicate ids across directories', async () => {
    const first = await writeRuleDir({ 'T-X-001.yaml': numbered(...HEAD, 'check: host.os.platform == "linux"') });
    dirs.push(first);
    const { dir, problems } = await problemsFor({ 'T-X-001.yaml': numbered(...HEAD, 'check: host.os.platform == "windows"') }, [first]);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ path: 'id', line: 1 });
    expect([dir, first].map((d) => join(d, 'T-X-001.yaml'))).toContain(problems[0]!.file);
    expect(problems[0]!.message).toContain('duplicate rule id');
  });

  it('refuses aggregates of unknown rules', async () => {
    const { problems } = await problemsFor({
      'T-AGG-001.yaml': ruleYaml('T-AGG-001', {
        target: 'tenant',
        facts: '',
        evidence: '',
        aggregate: '\n  rules:\n    - T-NOPE-001',
        check: 'aggregate.passPercent >= 100.0',
      }),
    });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ path: 'aggregate.rules[0]' });
    expect(problems[0]!.line).toBe(13);
    expect(problems[0]!.message).toContain('T-NOPE-001');
  });

  it('lists every problem of every file in one error', async () => {
    const bad1 = [...HEAD, 'check: host.os.platform =='];
    const bad2 = [...HEAD, 'check: host.os.platform == "linux"'];
    bad2[0] = 'id: T-X-002';
    bad2[4] = 'severity: urgent';
    const dir = await writeRuleDir({ 'T-X-001.yaml': numbered(...bad1), 'T-X-002.yaml': numbered(...bad2) });
    dirs.push(dir);
    const error = await loadRules([dir]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RuleLoadError);
    const message = (error as Error).message;
    expect(message).toContain(`${join(dir, 'T-X-001.yaml')}:11:27: check: syntaxfel (syntax error): Unexpected token: EOF`);
    expect(message).toContain(`${join(dir, 'T-X-002.yaml')}:5:1: severity: Invalid option`);
  });

  it('reports a missing directory', async () => {
    const error = (await loadRules(['/nonexistent/basvakt-rules']).catch((e: unknown) => e)) as RuleLoadError;
    expect(error.problems).toMatchObject([{ file: '/nonexistent/basvakt-rules', message: expect.stringContaining('directory not found') }]);
  });
});
