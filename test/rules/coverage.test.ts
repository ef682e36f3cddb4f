import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUNDLED_RULE_DIRS, loadRules, PACKAGE_ROOT, type AnyRule, type RuleSet } from '../../rules/engine/index.js';
import { coverageCommand } from '../../rules/frameworks/catalogue.js';
import { frameworkCoverage, type RuleTally } from '../../rules/frameworks/coverage.js';
import { bundledFrameworks, FRAMEWORK_IDS, loadFramework, type Framework } from '../../rules/frameworks/index.js';
import { coverageMarkdown } from '../../rules/frameworks/render.js';
import { runRules } from './run-cli.js';

/** A small framework: control 1 with three safeguards (two listed), control 2 with two rules, control 3 with none. */
const FRAMEWORK = `id: cis-v8
name: { sv: Testramverk, en: Test framework }
version: "1"
source: https://example.org/
complete: true
note: { sv: "[F] test", en: "[F] test" }
requirements:
  - id: "1"
    children: 3
    title: { sv: Kontroll ett, en: Control one }
  - id: "1.1"
    parents: ["1"]
    title: { sv: Skydd ett, en: Safeguard one }
    links:
      - { rule: T-A-001, reason: "regel A är underlag för 1.1" }
  - id: "1.2"
    parents: ["1"]
    title: { sv: Skydd två, en: Safeguard two }
    links:
      - { rule: T-M-M01, reason: "den manuella kontrollen intygar 1.2" }
  - id: "2"
    title: { sv: Kontroll två, en: Control two }
    links:
      - { rule: T-A-001, reason: "regel A är underlag för 2" }
      - { rule: T-B-001, reason: "regel B är underlag för 2" }
  - id: "3"
    title: { sv: Kontroll tre, en: Control three }
`;

const RULES = {
  allById: new Map<string, AnyRule>([
    ['T-A-001', { id: 'T-A-001' } as AnyRule],
    ['T-B-001', { id: 'T-B-001' } as AnyRule],
    ['T-M-M01', { id: 'T-M-M01', manual: { question: { sv: 'q', en: 'q' }, evidence: { sv: 'e', en: 'e' }, reviewMonths: 12 } } as unknown as AnyRule],
  ]),
};

const pass: RuleTally = { pass: 2, fail: 0, unknown: 0 };

describe('frameworkCoverage', () => {
  let dir: string;
  let framework: Framework;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'basvakt-coverage-'));
    await writeFile(join(dir, 'cis-v8.yaml'), FRAMEWORK);
    const loaded = loadFramework('cis-v8', dir);
    expect(loaded.problems).toEqual([]);
    framework = loaded.framework!;
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  const view = (results?: Map<string, RuleTally>) => {
    const c = frameworkCoverage(framework, RULES, results);
    return { c, rows: Object.fromEntries(c.rows.map((r) => [r.requirement.id, r])) };
  };

  it('says per requirement automated, manual or not covered, counting unlisted sub-requirements as not covered', () => {
    const { c, rows } = view();
    expect(c.rows.map((r) => [r.requirement.id, r.depth, r.coverage])).toEqual([
      ['1', 0, 'automated'],
      ['1.1', 1, 'automated'],
      ['1.2', 1, 'manual'],
      ['2', 0, 'automated'],
      ['3', 0, 'not-covered'],
    ]);
    expect(rows['1']!.units).toEqual({ total: 3, automated: 1, manual: 1, notCovered: 1 });
    expect(rows['2']!.rules).toEqual([
      { id: 'T-A-001', reason: 'regel A är underlag för 2', manual: false },
      { id: 'T-B-001', reason: 'regel B är underlag för 2', manual: false },
    ]);
    expect(c.summary).toEqual({ total: 3, automated: 2, manual: 0, notCovered: 1, partlyCovered: 1, percentCovered: 66.7 });
    expect(c.unitSummary).toEqual({ total: 5, automated: 2, manual: 1, notCovered: 2, partlyCovered: 0, percentCovered: 60 });
    expect(c.rows.every((r) => r.result === undefined)).toBe(true);
  });

  it('is met only when every linked rule passes, every manual control is attested and nothing under it is uncovered', () => {
    const { c, rows } = view(new Map([['T-A-001', pass], ['T-B-001', pass], ['T-M-M01', { pass: 1, fail: 0, unknown: 0 }]]));
    expect(c.rows.map((r) => [r.requirement.id, r.result])).toEqual([
      ['1', 'partial'],
      ['1.1', 'met'],
      ['1.2', 'met'],
      ['2', 'met'],
      ['3', 'not-assessed'],
    ]);
    expect(rows['1']!.reason).toBe('1 delkrav täcks inte (1 sub-requirements not covered)');
    expect(rows['3']!.reason).toBe('inte täckt (not covered)');
    // Not covered counts as not met: one of three controls, three of five safeguards.
    expect(c.summary).toMatchObject({ met: 1, percentMet: 33.3 });
    expect(c.unitSummary).toMatchObject({ met: 3, percentMet: 60 });
  });

  it('a manual control without attestation is unknown, never met', () => {
    const { rows } = view(new Map([['T-A-001', pass], ['T-B-001', pass]]));
    expect(rows['1.2']).toMatchObject({ result: 'unknown', reason: 'okänt eller inte bekräftat (unknown or not attested): T-M-M01' });
    expect(rows['1.2']!.rules[0]!.outcome).toBe('unknown');
    expect(rows['1']).toMatchObject({ result: 'unknown', reason: 'okänt eller inte bekräftat (unknown or not attested): 1.2' });
  });

  it('one failing rule makes the requirement and its parent not met; a rule without results leaves it partly assessed', () => {
    const failing = view(new Map([['T-A-001', { pass: 5, fail: 1, unknown: 0 }], ['T-B-001', pass]]));
    expect(failing.rows['2']).toMatchObject({ result: 'not-met', reason: 'underkänt (failing): T-A-001' });
    expect(failing.rows['1']).toMatchObject({ result: 'not-met', reason: 'underkänt (failing): 1.1' });
    const noData = view(new Map([['T-A-001', pass]]));
    expect(noData.rows['2']).toMatchObject({ result: 'partial', reason: 'inte bedömt (not assessed): T-B-001' });
    expect(noData.rows['2']!.rules.map((r) => r.outcome)).toEqual(['pass', 'no-data']);
    const onlyNotApplicable = view(new Map([['T-A-001', { pass: 0, fail: 0, unknown: 0, notApplicable: 4 }], ['T-B-001', { pass: 0, fail: 0, unknown: 0, notApplicable: 4 }]]));
    expect(onlyNotApplicable.rows['2']).toMatchObject({ result: 'not-assessed' });
  });
});

describe('the committed coverage documents', () => {
  let rules: RuleSet;
  beforeAll(async () => {
    rules = await loadRules(BUNDLED_RULE_DIRS);
  });

  it.each(FRAMEWORK_IDS.map((id) => [id]))('docs/coverage/%s.md is up to date', (id) => {
    const framework = bundledFrameworks().byId.get(id)!;
    const expected = coverageMarkdown(frameworkCoverage(framework, rules), { lang: 'sv', command: coverageCommand(id, 'sv') });
    const file = join(PACKAGE_ROOT, 'docs', 'coverage', `${id}.md`);
    const committed = readFileSync(file, 'utf8');
    expect(committed === expected, `${file} är inaktuell (is stale); skapa om: npm run build && node dist/cli/main.js rules coverage --format markdown --output docs/coverage`).toBe(true);
  });
});

describe('basvakt rules coverage', () => {
  it('prints the table for one framework, with results from a findings export', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'basvakt-coverage-cli-'));
    try {
      const findings = join(dir, 'findings.json');
      await writeFile(findings, JSON.stringify({ findings: [{ ruleId: 'BV-AV-001', status: 'pass' }, { ruleId: 'BV-AV-002', status: 'pass' }, { ruleId: 'BV-AV-010', status: 'fail' }] }));
      const { code, out } = await runRules(['coverage', '--framework', 'iso27002-2022', '--findings', findings]);
      expect(code).toBe(0);
      expect(out).toMatch(/^ISO\/IEC 27002:2022 – 93 krav: 23 automatiserade, 15 manuella, 55 inte täckta \(40,9 % täckta\)\. 0 uppfyllda \(0 %\)/);
      expect(out).toMatch(/^ {2}8\.7 +Automatiserad +Inte uppfyllt +BV-AV-001\(godkänd\) BV-AV-002\(godkänd\) BV-AV-010\(underkänd\)$/m);
      expect(out).toMatch(/^ {2}7\.1 +Inte täckt +Inte bedömt +–$/m);

      const json = await runRules(['coverage', '--framework', 'msbfs-2020-7', '--format', 'json']);
      const parsed = JSON.parse(json.out) as { framework: { id: string }; requirements: { id: string; coverage: string; inferred: boolean }[] };
      expect(parsed.framework.id).toBe('msbfs-2020-7');
      expect(parsed.requirements.find((r) => r.id === '4:18')).toMatchObject({ coverage: 'not-covered', inferred: true });

      await runRules(['coverage', '--format', 'markdown', '--output', join(dir, 'out')]);
      expect(await readFile(join(dir, 'out', 'nis2-art21.md'), 'utf8')).toBe(readFileSync(join(PACKAGE_ROOT, 'docs', 'coverage', 'nis2-art21.md'), 'utf8'));

      await expect(runRules(['coverage', '--framework', 'iso27001'])).rejects.toThrow('okänt ramverk "iso27001"');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
