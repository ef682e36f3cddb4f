import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUNDLED_RULE_DIRS, FRAMEWORK_DIR, isManualRule, loadRules, type RuleSet } from '../../rules/engine/index.js';
import { bundledFrameworks, danglingLinks, formatFrameworkProblem, loadFrameworks, type FrameworkSet } from '../../rules/frameworks/index.js';

/**
 * Rules that are evidence for no framework requirement, each with the reason. A rule not
 * listed here must be linked from rules/frameworks/*.yaml.
 */
const UNLINKED: Record<string, string> = {};


/**
 * BITS.md §3 checks a rule names in `checks` but bits.yaml does not link to it, with the
 * reason the link is not defensible. Every other (check, rule) pair must match both ways.
 */
const CHECKS_NOT_LINKED: Record<string, string> = {
  'BV-ID-010 ID-01': 'the rule checks that the configured groups exist – a precondition for measuring ID-01, not evidence of one identity source',
  'BV-ID-010 SSO-01': 'the SSO group existing says nothing about SSO coverage',
  'BV-ID-010 MFA-01': 'the MFA group existing says nothing about MFA on sensitive systems',
  'BV-ACC-011 ACC-02': 'ACC-02 is PASSWD_NOTREQD (0x20); the rule checks DONT_REQ_PREAUTH (0x400000)',
  'BV-ACC-012 ACC-08': 'ACC-08 is about administrator accounts; krbtgt is a service principal, linked to chapter 11 instead',
  'BV-PWD-007 ACC-08': 'the rule is a password-policy check (PWD-01/PWD-07), not about the number or hygiene of admin accounts',
  'BV-OWN-010 DRF-02': 'hosts seen but missing from the register are an inventory gap (linked to chapter 7, ISO 5.9, CIS 1.1/1.2), not an owner or an operating approval',
};

const ISO_IDS = [...Array.from({ length: 37 }, (_, i) => `5.${i + 1}`), ...Array.from({ length: 8 }, (_, i) => `6.${i + 1}`), ...Array.from({ length: 14 }, (_, i) => `7.${i + 1}`), ...Array.from({ length: 34 }, (_, i) => `8.${i + 1}`)];

describe('framework files', () => {
  let set: FrameworkSet;
  let rules: RuleSet;
  beforeAll(async () => {
    set = bundledFrameworks();
    rules = await loadRules(BUNDLED_RULE_DIRS);
  });

  it('load without problems, one file per framework', () => {
    const { problems } = loadFrameworks();
    expect(problems.map(formatFrameworkProblem)).toEqual([]);
    expect(set.frameworks.map((f) => f.id)).toEqual(['bits', 'iso27002-2022', 'cis-v8', 'msbfs-2020-7', 'nis2-art21']);
  });

  it('list every ISO/IEC 27002:2022 control, every CIS v8 control and safeguard count, NIS2 a–j, BITS chapters 5–15 and all BITS.md §3 checks', () => {
    expect(set.byId.get('iso27002-2022')!.requirements.map((r) => r.id)).toEqual(ISO_IDS);
    const cis = set.byId.get('cis-v8')!;
    const controls = cis.requirements.filter((r) => r.parents.length === 0);
    expect(controls.map((r) => r.id)).toEqual(Array.from({ length: 18 }, (_, i) => String(i + 1)));
    expect(controls.reduce((n, c) => n + c.children.length + c.unlisted, 0)).toBe(153);
    for (const s of cis.requirements.filter((r) => r.parents.length > 0)) expect(s.id.split('.')[0]).toBe(s.parents[0]);
    expect(set.byId.get('nis2-art21')!.requirements.map((r) => r.id)).toEqual('abcdefghij'.split(''));
    const bits = set.byId.get('bits')!;
    expect(bits.requirements.filter((r) => r.parents.length === 0).map((r) => r.id)).toEqual(['5', '6', '7', '8', '9', '10', '11', '12', '13', '14', '15']);
    expect(bits.requirements.filter((r) => r.parents.length > 0)).toHaveLength(49);
    expect(set.byId.get('msbfs-2020-7')!.requirements.every((r) => r.inferred)).toBe(true);
  });

  it('link only to rules and manual controls that exist', () => {
    expect(danglingLinks(set, rules).map(formatFrameworkProblem)).toEqual([]);
  });

  it('link every rule and manual control from at least one framework (or say why not)', () => {
    const linked = new Set(set.frameworks.flatMap((f) => f.requirements.flatMap((r) => r.links.map((l) => l.ruleId))));
    const missing = rules.all.filter((r) => !linked.has(r.id) && !(r.id in UNLINKED)).map((r) => `${r.id} (${r.file})`);
    expect(missing, 'add a link with a reason in rules/frameworks/*.yaml, or an entry in UNLINKED').toEqual([]);
    const stale = Object.keys(UNLINKED).filter((id) => linked.has(id) || !rules.allById.has(id));
    expect(stale, 'UNLINKED names rules that are linked or do not exist').toEqual([]);
  });

  it('link a BITS check to exactly the rules that name it in checks', () => {
    const bits = set.byId.get('bits')!;
    const linkedPairs = new Set(bits.requirements.filter((r) => r.parents.length > 0).flatMap((r) => r.links.map((l) => `${l.ruleId} ${r.id}`)));
    const claimed = new Set(rules.all.flatMap((r) => r.checks.map((c) => `${r.id} ${c}`)));
    expect([...linkedPairs].filter((p) => !claimed.has(p)), 'bits.yaml links a rule to a check the rule does not name in checks').toEqual([]);
    expect([...claimed].filter((p) => !linkedPairs.has(p) && !(p in CHECKS_NOT_LINKED)), 'a rule names a check in checks that bits.yaml does not link').toEqual([]);
    expect(Object.keys(CHECKS_NOT_LINKED).filter((p) => linkedPairs.has(p) || !claimed.has(p)), 'stale CHECKS_NOT_LINKED entries').toEqual([]);
  });

  it('give manual controls links too: they appear in the coverage like rules', () => {
    const manualLinked = rules.manual.filter((m) => set.frameworks.some((f) => f.requirements.some((r) => r.links.some((l) => l.ruleId === m.id))));
    expect(manualLinked.map((m) => m.id)).toEqual(rules.manual.map((m) => m.id));
    expect(rules.manual.every(isManualRule)).toBe(true);
  });
});

describe('framework file problems name file, line and field', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'basvakt-frameworks-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const withNis2 = (edit: (text: string) => string) => {
    cpSync(FRAMEWORK_DIR, dir, { recursive: true, filter: (src) => !src.endsWith('.ts') });
    const file = join(dir, 'nis2-art21.yaml');
    writeFileSync(file, edit(readFileSync(join(FRAMEWORK_DIR, 'nis2-art21.yaml'), 'utf8')));
    const lines = readFileSync(file, 'utf8').split('\n');
    const lineOf = (needle: string) => lines.findIndex((l) => l.includes(needle)) + 1;
    return { file, lineOf, ...loadFrameworks(dir) };
  };

  it('a link to a rule that does not exist', async () => {
    const { file, lineOf, set, problems } = withNis2((t) => t.replace('      - { rule: BV-PROC-M03,', '      - { rule: BV-NOPE-999, reason: "finns inte i regelpaketen" }\n      - { rule: BV-PROC-M03,'));
    expect(problems).toEqual([]);
    const dangling = danglingLinks(set, await loadRules(BUNDLED_RULE_DIRS));
    expect(dangling).toEqual([{ file, line: lineOf('BV-NOPE-999'), column: 9, path: 'f.links.BV-NOPE-999', message: 'regeln BV-NOPE-999 finns inte (the link names no rule or manual control)' }]);
    expect(formatFrameworkProblem(dangling[0]!)).toBe(`${file}:${lineOf('BV-NOPE-999')}:9: f.links.BV-NOPE-999: regeln BV-NOPE-999 finns inte (the link names no rule or manual control)`);
  });

  it('a duplicate requirement id, a duplicate link, a link without reason and a malformed id', () => {
    const { file, lineOf, problems } = withNis2((t) =>
      t
        .replace('  - id: j\n', '  - id: i\n')
        .replace('      - { rule: BV-PAT-002,', '      - { rule: BV-PAT-001, reason: "samma regel en gång till" }\n      - { rule: BV-PAT-002,')
        .replace('      - { rule: BV-TRN-M01, reason: "Intygar att personalen fått utbildning i informationssäkerhet de senaste 12 månaderna." }', '      - { rule: BV-TRN-M01 }')
        .replace('  - id: a\n', '  - id: A\n'),
    );
    const lines = readFileSync(file, 'utf8').split('\n');
    const secondI = lines.findIndex((l, i) => l === '  - id: i' && i > lines.indexOf('  - id: i')) + 1;
    expect(problems.map((p) => ({ line: p.line, path: p.path, message: p.message }))).toEqual([
      { line: lineOf('rule: BV-TRN-M01 }'), path: 'requirements[6].links[0].reason', message: expect.stringContaining('expected string') },
    ]);
    // Schema problems stop the file; fix that one and the others show.
    const second = withNis2((t) =>
      t
        .replace('  - id: j\n', '  - id: i\n')
        .replace('      - { rule: BV-PAT-002,', '      - { rule: BV-PAT-001, reason: "samma regel en gång till" }\n      - { rule: BV-PAT-002,')
        .replace('  - id: a\n', '  - id: A\n'),
    );
    const secondLines = readFileSync(second.file, 'utf8').split('\n');
    const duplicateAt = secondLines.findIndex((l) => l.includes('samma regel en gång till')) + 1;
    const iAt = secondLines.findIndex((l, i) => l === '  - id: i' && i > secondLines.indexOf('  - id: i')) + 1;
    expect(second.problems.map((p) => ({ file: p.file, line: p.line, path: p.path, message: p.message }))).toEqual([
      { file: second.file, line: second.lineOf('  - id: A'), path: 'requirements[0].id', message: expect.stringContaining('"A" är inget krav i nis2-art21') },
      { file: second.file, line: duplicateAt, path: 'requirements[4].links[1].rule', message: 'BV-PAT-001 är länkad två gånger till e (duplicate link)' },
      { file: second.file, line: iAt, path: 'requirements[9].id', message: 'kravet i står två gånger (duplicate requirement id)' },
    ]);
    expect(secondI).toBeGreaterThan(0);
  });
});
