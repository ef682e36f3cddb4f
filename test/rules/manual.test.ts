import { afterEach, describe, expect, it } from 'vitest';
import {
  attestationSchema,
  BUNDLED_RULE_DIRS,
  evaluateAggregates,
  evaluateManualControl,
  evaluateTarget,
  lintRules,
  loadRules,
  RuleLoadError,
  runRuleTests,
  type Attestation,
  type ManualRule,
} from '../../rules/engine/index.js';
import { removeDir, writeRuleDir } from './support.js';

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map(removeDir));
});

const numbered = (...lines: string[]) => `${lines.join('\n')}\n`;

const MANUAL = [
  /* 1 */ 'id: T-PROC-M01',
  /* 2 */ 'title: { sv: En process finns, en: A process exists }',
  /* 3 */ 'goals: [PROCESS]',
  /* 4 */ 'severity: high',
  /* 5 */ 'target: tenant',
  /* 6 */ 'manual:',
  /* 7 */ '  question: { sv: Finns processen?, en: Is there a process? }',
  /* 8 */ '  evidence: { sv: Beslutet, en: The decision }',
  /* 9 */ '  reviewMonths: 12',
  /* 10 */ 'sources: [GOALS.md PROCESS]',
  /* 11 */ 'rationale: { sv: Därför, en: Because }',
  /* 12 */ 'remediation: { sv: Gör så, en: Do so }',
];

async function load(files: Record<string, string>) {
  const dir = await writeRuleDir(files);
  dirs.push(dir);
  return loadRules([dir]);
}

async function problems(files: Record<string, string>) {
  const error = await load(files).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(RuleLoadError);
  return (error as RuleLoadError).problems.map((p) => ({ path: p.path, line: p.line, column: p.column, message: p.message }));
}

describe('manual controls in rule files', () => {
  it('load beside automated rules, listed in manual and all but never evaluated on facts', async () => {
    const set = await load({ 'T-PROC-M01.yaml': numbered(...MANUAL) });
    expect(set.manual.map((r) => r.id)).toEqual(['T-PROC-M01']);
    expect(set.all.map((r) => r.id)).toEqual(['T-PROC-M01']);
    expect(set.rules).toEqual([]);
    expect(set.byTarget.get('tenant')).toBeUndefined();
    expect(set.manual[0]!.manual).toEqual({ question: { sv: 'Finns processen?', en: 'Is there a process?' }, evidence: { sv: 'Beslutet', en: 'The decision' }, reviewMonths: 12 });
    const now = new Date('2026-11-23T00:00:00Z');
    expect(evaluateTarget(set, { kind: 'tenant', id: 'amal', name: 'Åmål', facts: [] }, { now })).toEqual([]);
    expect(evaluateAggregates(set, [], { now, tenantId: 'amal' })).toEqual([]);
  });

  it('refuse check, facts and the other fields of automated rules, at each key', async () => {
    const lines = [...MANUAL, 'facts: [os]', 'check: host.os.platform == "linux"', 'tests: []'];
    expect(await problems({ 'T-PROC-M01.yaml': numbered(...lines) })).toEqual([
      { path: 'facts', line: 13, column: 1, message: 'en manuell kontroll har ingen facts: den bekräftas av en person, inte av fakta (a manual control has no facts)' },
      { path: 'check', line: 14, column: 1, message: 'en manuell kontroll har ingen check: den bekräftas av en person, inte av fakta (a manual control has no check)' },
      { path: 'tests', line: 15, column: 1, message: 'en manuell kontroll har ingen tests: den bekräftas av en person, inte av fakta (a manual control has no tests)' },
    ]);
  });

  it('must target the tenant and give a question and what counts as evidence', async () => {
    const lines = [...MANUAL];
    lines[4] = 'target: host';
    lines.splice(7, 1);
    expect(await problems({ 'T-PROC-M01.yaml': numbered(...lines) })).toEqual([
      { path: 'target', line: 5, column: 1, message: expect.stringContaining('expected "tenant"') },
      { path: 'manual.evidence', line: 6, column: 1, message: expect.stringContaining('expected object') },
    ]);
  });

  it('an automated rule without check or facts is told what it lacks', async () => {
    const automated = [
      'id: T-X-001',
      'title: { sv: Test, en: Test }',
      'goals: [AV]',
      'severity: low',
      'target: host',
      'sources: [test]',
      'rationale: { sv: Därför, en: Because }',
      'remediation: { sv: Gör så, en: Do so }',
    ];
    expect(await problems({ 'T-X-001.yaml': numbered(...automated) })).toEqual([
      { path: 'check', line: 1, column: 1, message: 'check saknas: en automatisk regel behöver ett villkor i CEL (give check, or manual: for a control confirmed by a person)' },
    ]);
    expect(await problems({ 'T-X-001.yaml': numbered(...automated, 'check: "true"') })).toEqual([
      { path: 'facts', line: 1, column: 1, message: 'facts saknas: en automatisk regel läser minst en fakta (an automated rule needs facts; a rule confirmed by a person is written with manual:)' },
    ]);
  });

  it('cannot be aggregated', async () => {
    const aggregate = numbered(
      'id: T-AGG-001',
      'title: { sv: Test, en: Test }',
      'goals: [PROCESS]',
      'severity: low',
      'target: tenant',
      'aggregate: { rules: [T-PROC-M01] }',
      'sources: [test]',
      'check: aggregate.passPercent >= 100.0',
      'rationale: { sv: Därför, en: Because }',
      'remediation: { sv: Gör så, en: Do so }',
    );
    expect(await problems({ 'T-PROC-M01.yaml': numbered(...MANUAL), 'T-AGG-001.yaml': aggregate })).toEqual([
      { path: 'aggregate.rules[0]', line: 6, column: 22, message: 'T-PROC-M01 är en manuell kontroll och har inga resultat per enhet (cannot aggregate a manual control)' },
    ]);
  });

  it('are tested by the generic attestation cases and lint clean without cases of their own', async () => {
    const set = await load({ 'T-PROC-M01.yaml': numbered(...MANUAL) });
    const report = runRuleTests(set);
    expect(report.cases.map((c) => [c.caseName, c.expected, c.actual, c.ok, c.generic])).toEqual([
      ['intygad som uppfylld och giltig (attested met, still valid)', 'pass', 'pass', true, true],
      ['intygad som inte uppfylld (attested not met)', 'fail', 'fail', true, true],
      ['inte intygad (not attested)', 'unknown', 'unknown', true, true],
      ['intyget har gått ut (attestation expired)', 'unknown', 'unknown', true, true],
      ['nästa granskning längre bort än 12 månader räknas inte (review date beyond reviewMonths is capped)', 'unknown', 'unknown', true, true],
    ]);
    const lint = await lintRules([dirs[dirs.length - 1]!]);
    expect(lint.problems).toEqual([]);
    expect(lint).toMatchObject({ rules: 1, files: 1, errors: 0, warnings: 0 });
  });

  it('bundled manual controls all pass the generic cases', async () => {
    const set = await loadRules(BUNDLED_RULE_DIRS);
    const report = runRuleTests(set, { ruleIds: set.manual.map((r) => r.id) });
    expect(report.cases).toHaveLength(set.manual.length * 5);
    expect(report.ok).toBe(true);
  });
});

describe('evaluateManualControl', () => {
  const rule = { id: 'T-PROC-M01', severity: 'high', goals: ['PROCESS'], manual: { question: { sv: 'q', en: 'q' }, evidence: { sv: 'e', en: 'e' }, reviewMonths: 12 } } as unknown as ManualRule;
  const now = new Date('2026-11-23T06:00:00Z');
  const options = { now, tenantId: 'amal', tenantName: 'Åmåls kommun' };
  const attestation = (over: Partial<Attestation> = {}): Attestation =>
    attestationSchema.parse({ outcome: 'met', attestedBy: 'Anna Andersson', evidenceRef: 'KS 2026/123', attestedAt: '2026-03-01T10:00:00Z', nextReviewAt: '2027-03-01T00:00:00Z', ...over });

  it('passes when attested as met and not yet due, with the attestation as evidence', () => {
    const result = evaluateManualControl(rule, attestation(), options);
    expect(result).toMatchObject({ ruleId: 'T-PROC-M01', targetKind: 'tenant', targetId: 'amal', targetName: 'Åmåls kommun', status: 'pass', subjects: [], severity: 'high', goals: ['PROCESS'] });
    expect(result.reason).toBeUndefined();
    expect(result.evidence.map((e) => [e.path, e.value])).toEqual([
      ['attestation.outcome', 'met'],
      ['attestation.attestedBy', 'Anna Andersson'],
      ['attestation.evidenceRef', 'KS 2026/123'],
      ['attestation.attestedAt', '2026-03-01T10:00:00Z'],
      ['attestation.nextReviewAt', '2027-03-01T00:00:00Z'],
      ['attestation.validUntil', '2027-03-01T00:00:00.000Z'],
    ]);
    expect(result.evidence[0]).toMatchObject({ source: 'intyg (attestation)', collectedAt: '2026-03-01T10:00:00Z', status: 'ok' });
  });

  it('passes on the review day itself', () => {
    expect(evaluateManualControl(rule, attestation({ nextReviewAt: '2026-11-23T06:00:00Z' }), options).status).toBe('pass');
  });

  it('fails when attested as not met, even when the review date has passed', () => {
    const result = evaluateManualControl(rule, attestation({ outcome: 'not_met', reason: 'ingen övning i år' }), options);
    expect(result).toMatchObject({ status: 'fail', reason: 'bekräftad som inte uppfylld av Anna Andersson, 2026-03-01 (attested as not met)' });
    expect(result.evidence.at(-1)).toMatchObject({ path: 'attestation.reason', value: 'ingen övning i år' });
    expect(evaluateManualControl(rule, attestation({ outcome: 'not_met', nextReviewAt: '2026-04-01T00:00:00Z' }), options).status).toBe('fail');
  });

  it('is unknown when not attested', () => {
    const result = evaluateManualControl(rule, undefined, options);
    expect(result).toMatchObject({ status: 'unknown', reason: 'inte bekräftad (not attested)' });
    expect(result.evidence).toEqual([{ path: 'attestation', value: null, source: null, collectedAt: null, status: 'missing' }]);
  });

  it('is unknown when the attestation has expired', () => {
    const result = evaluateManualControl(rule, attestation({ attestedAt: '2025-10-01T00:00:00Z', nextReviewAt: '2026-10-01T00:00:00Z' }), options);
    expect(result).toMatchObject({ status: 'unknown', reason: 'bekräftelsen gick ut 2026-10-01 och måste göras om (attestation expired)' });
  });

  it('never lets an attestation last longer than reviewMonths', () => {
    const result = evaluateManualControl(rule, attestation({ attestedAt: '2025-08-31T00:00:00Z', nextReviewAt: '2030-01-01T00:00:00Z' }), options);
    expect(result).toMatchObject({ status: 'unknown', reason: 'bekräftelsen gick ut 2026-08-31 och måste göras om (attestation expired)' });
    // The month arithmetic keeps the day, or takes the month's last day.
    const feb = evaluateManualControl({ ...rule, manual: { ...rule.manual, reviewMonths: 1 } } as ManualRule, attestation({ attestedAt: '2026-01-31T00:00:00Z', nextReviewAt: '2027-01-01T00:00:00Z' }), options);
    expect(feb.evidence.find((e) => e.path === 'attestation.validUntil')?.value).toBe('2026-02-28T00:00:00.000Z');
  });

  it('is unknown when dated after the evaluation', () => {
    const result = evaluateManualControl(rule, attestation({ attestedAt: '2026-12-01T00:00:00Z', nextReviewAt: '2027-06-01T00:00:00Z' }), options);
    expect(result).toMatchObject({ status: 'unknown', reason: 'bekräftelsen är daterad 2026-12-01, efter bedömningen (attestation dated in the future)' });
  });

  it('validates attestations with field paths', () => {
    const parsed = attestationSchema.safeParse({ outcome: 'yes', attestedBy: '', evidenceRef: 'x', attestedAt: 'igår', nextReviewAt: '2027-01-01T00:00:00Z' });
    expect(parsed.success).toBe(false);
    expect(parsed.error!.issues.map((i) => i.path.join('.'))).toEqual(['outcome', 'attestedBy', 'attestedAt']);
  });
});
