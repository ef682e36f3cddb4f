import { factSpec } from '../../report/facts/index.js';
import type { Fact, TargetKind } from '../../report/schema.js';
import { evaluateAggregateRule, type CombinedTargets } from './aggregate.js';
import { evaluateRule, prepareTarget, resolveParams } from './evaluate.js';
import { evaluateManualControl, manualTestCases } from './manual.js';
import { checkRuleOverrides, mergeParams } from './params.js';
import type { RuleStatus, RuleTestCase } from './schema.js';
import type { Rule, RuleResult, RuleSet } from './types.js';

/**
 * Runs the test cases written in the rule files. Each case goes through the same code as
 * real evaluation. Fact values must match the fact catalogue exactly, so a rule is tested
 * against what agents really report.
 */

/** Evaluation time for cases that do not give `now` (lint requires `now` for time-dependent rules). */
export const DEFAULT_TEST_NOW = '2026-01-01T00:00:00Z';

export const TEST_FACT_SOURCE = 'testfall (test case)';

export interface TestCaseResult {
  ruleId: string;
  caseName: string;
  /** Index of the case in the rule's `tests`. */
  index: number;
  expected: RuleStatus;
  /** Undefined when the case itself is invalid (see problem). */
  actual?: RuleStatus;
  reason?: string;
  subjects: string[];
  ok: boolean;
  /** Why the case failed, when not just a different status. */
  problem?: string;
  /** Path in the rule file of the field the problem is about. */
  field: (string | number)[];
  /** A case every manual control is tested with, not one written in the file. */
  generic?: true;
}

export interface TestReport {
  cases: TestCaseResult[];
  passed: number;
  failed: number;
  ok: boolean;
}

class CaseProblem extends Error {
  constructor(
    message: string,
    readonly field: (string | number)[],
  ) {
    super(message);
  }
}

function failedMarker(value: unknown): { status: 'error' | 'unsupported'; reason: string } | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const keys = Object.keys(value);
  if (keys.length !== 1) return undefined;
  const key = keys[0]!;
  const reason = (value as Record<string, unknown>)[key];
  if ((key === 'error' || key === 'unsupported') && typeof reason === 'string') return { status: key, reason };
  return undefined;
}

/** Turns a case's `facts` into report facts, validating each value against the catalogue. */
export function testCaseFacts(rule: Rule, testCase: RuleTestCase, index: number, collectedAt: string): Fact[] {
  const kind = rule.target as TargetKind;
  const facts: Fact[] = [];
  for (const [factKind, byName] of Object.entries(testCase.facts ?? {})) {
    if (factKind !== kind) throw new CaseProblem(`fakta ska ligga under ${kind} (facts must be under ${kind})`, ['tests', index, 'facts', factKind]);
    for (const [name, value] of Object.entries(byName)) {
      const field: (string | number)[] = ['tests', index, 'facts', kind, name];
      const failed = failedMarker(value);
      if (failed) {
        facts.push({ name, status: failed.status, reason: failed.reason, source: TEST_FACT_SOURCE, collectedAt });
        continue;
      }
      const spec = factSpec(kind, name);
      if (!spec) throw new CaseProblem(`okänd fakta "${name}" för ${kind} (not in the fact catalogue)`, field);
      const parsed = spec.value.safeParse(value);
      if (!parsed.success) {
        const issue = parsed.error.issues[0]!;
        const path = issue.code === 'unrecognized_keys' ? [...issue.path, issue.keys[0]!] : issue.path;
        throw new CaseProblem(
          `${kind}.${name}${path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('')}: ${issue.message} ${'(the value does not match the fact catalogue)'}`,
          [...field, ...path.map((p) => (typeof p === 'number' ? p : String(p)))],
        );
      }
      facts.push({ name, status: 'ok', value: parsed.data, source: TEST_FACT_SOURCE, collectedAt });
    }
  }
  return facts;
}

function aggregateCase(testCase: RuleTestCase): CombinedTargets {
  const counts = { pass: 0, fail: 0, unknown: 0, notApplicable: 0, ...testCase.aggregate };
  const names = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}-${i + 1}`);
  return { counts, failedTargets: names('fail', counts.fail), unknownTargets: names('unknown', counts.unknown) };
}

/** Runs one case; throws CaseProblem when the case itself is invalid. */
function runCase(ruleSet: RuleSet, rule: Rule, testCase: RuleTestCase, index: number): RuleResult {
  const nowText = testCase.now ?? DEFAULT_TEST_NOW;
  const now = new Date(nowText);
  let params: Record<string, unknown>;
  if (testCase.params) {
    const problems = checkRuleOverrides(rule.params, testCase.params);
    if (problems.length > 0) throw new CaseProblem(problems.map((p) => `${p.path}: ${p.message}`).join('; '), ['tests', index, 'params']);
    params = mergeParams(rule.params, testCase.params);
  } else {
    params = resolveParams(ruleSet, undefined).get(rule.id) ?? mergeParams(rule.params, undefined);
  }
  ruleSet.runtime.clock.now = now.getTime();
  if (rule.aggregate) {
    return evaluateAggregateRule(rule, aggregateCase(testCase), params, { now, tenantId: 'test', tenantName: testCase.name });
  }
  const facts = testCaseFacts(rule, testCase, index, now.toISOString());
  const prepared = prepareTarget({ kind: rule.target, id: `test:${rule.id}:${index}`, name: testCase.name, facts });
  return evaluateRule(rule, prepared, params, now);
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

/** The generic attestation cases of every manual control (they have no cases of their own). */
function runManualCases(ruleSet: RuleSet, wanted: (id: string) => boolean, cases: TestCaseResult[]): void {
  for (const rule of ruleSet.manual) {
    if (!wanted(rule.id)) continue;
    manualTestCases(rule).forEach((c, index) => {
      const result = evaluateManualControl(rule, c.attestation, { now: new Date(c.now), tenantId: 'test' });
      const ok = result.status === c.expect;
      cases.push({
        ruleId: rule.id,
        caseName: c.name,
        index,
        expected: c.expect,
        actual: result.status,
        ...(result.reason !== undefined ? { reason: result.reason } : {}),
        subjects: [],
        ok,
        ...(ok ? {} : { problem: `väntat ${c.expect}, fick ${result.status} (expected ${c.expect}, got ${result.status})` }),
        field: ['manual'],
        generic: true,
      });
    });
  }
}

/**
 * Runs every test case of every rule in the set (or of the rules named in `ruleIds`), and
 * the generic attestation cases of every manual control.
 */
export function runRuleTests(ruleSet: RuleSet, options: { ruleIds?: readonly string[] } = {}): TestReport {
  const cases: TestCaseResult[] = [];
  const ids = options.ruleIds ? new Set(options.ruleIds) : undefined;
  const wanted = (id: string) => !ids || ids.has(id);
  const rules = ruleSet.rules.filter((r) => wanted(r.id));
  for (const rule of rules) {
    rule.tests.forEach((testCase, index) => {
      const base = { ruleId: rule.id, caseName: testCase.name, index, expected: testCase.expect };
      let result: RuleResult;
      try {
        result = runCase(ruleSet, rule, testCase, index);
      } catch (error) {
        const field = error instanceof CaseProblem ? error.field : ['tests', index];
        cases.push({ ...base, subjects: [], ok: false, problem: (error as Error).message, field });
        return;
      }
      const problems: string[] = [];
      let field: (string | number)[] = ['tests', index];
      if (result.status !== testCase.expect) {
        problems.push(`väntat ${testCase.expect}, fick ${result.status} (expected ${testCase.expect}, got ${result.status})${result.reason ? `: ${result.reason}` : ''}`);
        field = ['tests', index, 'expect'];
      }
      if (testCase.subjects && !sameList(testCase.subjects, result.subjects)) {
        problems.push(`subjects ${JSON.stringify(result.subjects)}, väntat (expected) ${JSON.stringify(testCase.subjects)}`);
        if (problems.length === 1) field = ['tests', index, 'subjects'];
      }
      if (testCase.reason && !(result.reason ?? '').includes(testCase.reason)) {
        problems.push(`reason "${result.reason ?? ''}" innehåller inte (does not contain) "${testCase.reason}"`);
        if (problems.length === 1) field = ['tests', index, 'reason'];
      }
      const entry: TestCaseResult = { ...base, actual: result.status, subjects: result.subjects, ok: problems.length === 0, field };
      if (result.reason !== undefined) entry.reason = result.reason;
      if (problems.length > 0) entry.problem = problems.join('; ');
      cases.push(entry);
    });
  }
  runManualCases(ruleSet, wanted, cases);
  const failed = cases.filter((c) => !c.ok).length;
  return { cases, passed: cases.length - failed, failed, ok: failed === 0 };
}
