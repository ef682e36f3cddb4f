import { formatPath } from '../../common/validation.js';
import { loadRuleFiles, type LoadOptions } from './load.js';
import { runRuleTests, type TestReport } from './run-tests.js';
import type { AnyRule, Rule } from './types.js';

/**
 * Lint: everything loadRules refuses (errors), each rule's own test cases (a failing
 * case is an error), and the quality bar for rule packs:
 *  - error: no case expecting pass, no case expecting fail; a time-dependent rule with a
 *    case that does not give `now`;
 *  - warning: no case expecting unknown (for fact rules: none with a fact that could not
 *    be collected); a declared fact or parameter no expression reads; no evidence paths.
 * Manual controls have no cases of their own; the generic attestation cases test them.
 * Framework links are checked by test/rules/frameworks.test.ts and `basvakt rules coverage`.
 */

export type LintSeverity = 'error' | 'warning';

export interface LintProblem {
  file: string;
  line?: number;
  column?: number;
  /** Field in the rule file, such as `tests[2].expect`. */
  field: string;
  message: string;
  severity: LintSeverity;
  ruleId?: string;
}

export interface LintReport {
  problems: LintProblem[];
  errors: number;
  warnings: number;
  /** Rules that loaded. */
  rules: number;
  files: number;
  tests: TestReport;
}

function hasFailedFact(facts: Record<string, Record<string, unknown>> | undefined): boolean {
  return Object.values(facts ?? {}).some((byName) =>
    Object.values(byName).some((v) => {
      if (v === null || typeof v !== 'object' || Array.isArray(v)) return false;
      const keys = Object.keys(v);
      return keys.length === 1 && (keys[0] === 'error' || keys[0] === 'unsupported');
    }),
  );
}

function lintRule(rule: Rule, add: (rule: AnyRule, path: (string | number)[], severity: LintSeverity, message: string) => void): void {
  const expects = new Set(rule.tests.map((t) => t.expect));
  const testsPath = rule.tests.length > 0 ? ['tests'] : ['id'];
  if (!expects.has('pass')) add(rule, testsPath, 'error', 'inget testfall väntar pass (every rule needs a passing test case)');
  if (!expects.has('fail')) add(rule, testsPath, 'error', 'inget testfall väntar fail (every rule needs a failing test case)');
  if (rule.aggregate) {
    if (!expects.has('unknown')) add(rule, testsPath, 'warning', 'inget testfall väntar unknown (add a case where unknown targets decide the outcome)');
  } else if (rule.facts.length > 0 && !rule.tests.some((t) => t.expect === 'unknown' && hasFailedFact(t.facts))) {
    add(rule, testsPath, 'warning', 'inget testfall med en fakta som inte kunde samlas in (add an unknown case with a fact written as { error: "…" })');
  }
  if (rule.compiled.timeDependent) {
    rule.tests.forEach((t, i) => {
      if (!t.now) add(rule, ['tests', i], 'error', 'regeln beror på tiden; ange now (the rule depends on time; give now)');
    });
  }
  rule.facts.forEach((f, i) => {
    if (!rule.compiled.referencedFacts.has(f)) add(rule, ['facts', i], 'warning', `inget uttryck läser ${rule.target}.${f} (declared but never read)`);
  });
  for (const key of Object.keys(rule.params)) {
    if (!rule.compiled.referencedParams.has(key)) add(rule, ['params', key], 'warning', `inget uttryck läser params.${key} (declared but never read)`);
  }
  if (rule.evidence.length === 0) add(rule, ['id'], 'warning', 'inga evidence-sökvägar (no evidence paths; the whole facts are shown)');
}

/** Lints the packs under `dirs`; `options.contextDirs` (the bundled packs for a kommun's pack) are loaded but not linted. */
export async function lintRules(dirs: readonly string[], options: LoadOptions = {}): Promise<LintReport> {
  const outcome = await loadRuleFiles(dirs, options);
  const problems: LintProblem[] = outcome.problems.map((p) => ({
    file: p.file,
    ...(p.line !== undefined ? { line: p.line } : {}),
    ...(p.column !== undefined ? { column: p.column } : {}),
    field: p.path,
    message: p.message,
    severity: 'error' as const,
  }));
  const add = (rule: AnyRule, path: (string | number)[], severity: LintSeverity, message: string) => {
    const pos = rule.positionOf(path);
    problems.push({ file: rule.file, ...(pos ? { line: pos.line, column: pos.column } : {}), field: formatPath(path), message, severity, ruleId: rule.id });
  };
  const own = new Set(outcome.files);
  const linted = outcome.ruleSet.all.filter((r) => own.has(r.file));
  for (const rule of outcome.ruleSet.rules) if (own.has(rule.file)) lintRule(rule, add);
  const tests = runRuleTests(outcome.ruleSet, { ruleIds: linted.map((r) => r.id) });
  for (const c of tests.cases) {
    if (c.ok) continue;
    const rule = outcome.ruleSet.allById.get(c.ruleId)!;
    add(rule, c.field, 'error', `testfallet "${c.caseName}": ${c.problem ?? 'misslyckades (failed)'}`);
  }
  problems.sort((a, b) => a.file.localeCompare(b.file) || (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0));
  const errors = problems.filter((p) => p.severity === 'error').length;
  return {
    problems,
    errors,
    warnings: problems.length - errors,
    rules: linted.length,
    files: outcome.files.length,
    tests,
  };
}
