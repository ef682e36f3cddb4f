import type { Problem } from '../../common/validation.js';
import type { Fact } from '../../report/schema.js';
import { celErrorMessage, newEvaluation, type CompiledExpression } from './cel.js';
import { capList, omittedItems, readPath } from './evidence.js';
import { checkRuleOverrides, mergeParams, ParamsError, type ParamOverrides } from './params.js';
import { bilingual } from './problems.js';
import type { RuleStatus } from './schema.js';
import type { EvaluateOptions, EvaluationTarget, Evidence, Rule, RuleResult, RuleSet } from './types.js';

/**
 * Evaluation of rules on one target. Order, per rule:
 *  1. a declared fact is missing or failed → unknown, naming the fact and its reason
 *     (unless `applies` can be decided from the facts that are there and says false →
 *     not_applicable);
 *  2. `applies` false → not_applicable;
 *  3. an `unknownWhen` entry true → unknown with its reason;
 *  4. `check` true → pass, false → fail (with `subjects`).
 * A CEL error anywhere (missing key, wrong type) → unknown with the message; never pass.
 */

const MAX_SUBJECTS = 100;

/** A target's facts, prepared once for all its rules. */
export interface PreparedTarget {
  target: EvaluationTarget;
  /** Values of the ok facts, by name: the CEL context's `<kind>` variable. */
  values: Record<string, unknown>;
}

export function prepareTarget(target: EvaluationTarget): PreparedTarget {
  const values: Record<string, unknown> = {};
  for (const fact of target.facts) if (fact.status === 'ok') values[fact.name] = fact.value;
  return { target, values };
}

/**
 * The fact of that name (the last, should a report repeat one). A scan: a target has a
 * few dozen facts at most, and this is cheaper than building an index per target
 * (test/bench/rules.mjs measures it).
 */
function factNamed(prepared: PreparedTarget, name: string): Fact | undefined {
  const facts = prepared.target.facts;
  for (let i = facts.length - 1; i >= 0; i--) if (facts[i]!.name === name) return facts[i];
  return undefined;
}

// ---------------------------------------------------------------- parameters

/** Problems with a tenant's parameter overrides; paths are `<ruleId>.<param>`. */
export function validateParamOverrides(ruleSet: RuleSet, overrides: ParamOverrides): Problem[] {
  const problems: Problem[] = [];
  for (const [ruleId, values] of Object.entries(overrides)) {
    const rule = ruleSet.byId.get(ruleId);
    if (!rule) {
      problems.push({ path: ruleId, message: `okänd regel "${ruleId}" (unknown rule)` });
      continue;
    }
    for (const p of checkRuleOverrides(rule.params, values)) problems.push({ ...p, path: p.path ? `${ruleId}.${p.path}` : ruleId });
  }
  return problems;
}

const resolvedParams = new WeakMap<RuleSet, WeakMap<object, Map<string, Record<string, unknown>>>>();
const defaultParams = new WeakMap<RuleSet, Map<string, Record<string, unknown>>>();

/**
 * The parameters of every rule, with the overrides laid over the defaults. Checked and
 * merged once per overrides object (cached by identity: do not mutate it afterwards).
 */
export function resolveParams(ruleSet: RuleSet, overrides: ParamOverrides | undefined): ReadonlyMap<string, Record<string, unknown>> {
  if (!overrides) {
    let map = defaultParams.get(ruleSet);
    if (!map) {
      map = new Map(ruleSet.rules.map((r) => [r.id, mergeParams(r.params, undefined)]));
      defaultParams.set(ruleSet, map);
    }
    return map;
  }
  let cache = resolvedParams.get(ruleSet);
  if (!cache) resolvedParams.set(ruleSet, (cache = new WeakMap()));
  let map = cache.get(overrides);
  if (!map) {
    const problems = validateParamOverrides(ruleSet, overrides);
    if (problems.length > 0) throw new ParamsError(problems);
    map = new Map(ruleSet.rules.map((r) => [r.id, mergeParams(r.params, overrides[r.id])]));
    cache.set(overrides, map);
  }
  return map;
}

// ---------------------------------------------------------------- expression helpers

type Outcome<T> = { ok: true; value: T } | { ok: false; message: string };

export function evaluateBool(expression: CompiledExpression, context: Record<string, unknown>): Outcome<boolean> {
  const value = boolOrProblem(expression, context);
  return typeof value === 'boolean' ? { ok: true, value } : { ok: false, message: value };
}

/** The expression's boolean value, or why there is none. */
function boolOrProblem(expression: CompiledExpression, context: Record<string, unknown>, evaluation?: number): boolean | string {
  let value: unknown;
  try {
    value = expression(context, evaluation);
  } catch (error) {
    return celErrorMessage(error);
  }
  if (typeof value !== 'boolean') return `gav ${describeValue(value)} i stället för true/false (did not yield a boolean)`;
  return value;
}

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'en lista (a list)';
  return typeof value;
}

function toText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'bigint' || typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value === null || value === undefined) return 'null';
  return JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v instanceof Map ? Object.fromEntries(v) : v));
}

export function evaluateSubjects(
  expression: CompiledExpression | undefined,
  context: Record<string, unknown>,
  evaluation?: number,
): { subjects: string[]; problem?: string } {
  if (!expression) return { subjects: [] };
  let value: unknown;
  try {
    value = expression(context, evaluation);
  } catch (error) {
    return { subjects: [], problem: celErrorMessage(error) };
  }
  if (!Array.isArray(value)) return { subjects: [], problem: `subjects gav ${describeValue(value)}, inte en lista (not a list)` };
  const all = value.map(toText);
  if (all.length <= MAX_SUBJECTS) return { subjects: all };
  return { subjects: [...all.slice(0, MAX_SUBJECTS), `… +${all.length - MAX_SUBJECTS}`] };
}

export function expressionFailed(field: string, message: string): string {
  return `${bilingual('regeln kunde inte beräknas', 'the rule could not be evaluated')} [${field}]: ${message}`;
}

// ---------------------------------------------------------------- one rule, one target

function factProblem(kind: string, name: string, fact: Fact | undefined): string {
  const path = `${kind}.${name}`;
  if (!fact) return `${path}: ${bilingual('saknas i rapporten', 'missing from the report')}`;
  if (fact.status === 'unsupported') return `${path}: ${bilingual('stöds inte på målet', 'not supported on the target')}: ${fact.reason}`;
  if (fact.status === 'error') return `${path}: ${bilingual('kunde inte samlas in', 'could not be collected')}: ${fact.reason}`;
  return path;
}

function buildEvidence(rule: Rule, prepared: PreparedTarget): Evidence[] {
  const paths = rule.compiled.evidence;
  const evidence: Evidence[] = new Array(paths.length);
  for (let i = 0; i < paths.length; i++) {
    const ep = paths[i]!;
    const fact = factNamed(prepared, ep.fact);
    if (!fact || fact.status !== 'ok') {
      evidence[i] = { path: ep.path, value: null, source: fact?.source ?? null, collectedAt: fact?.collectedAt ?? null, status: fact?.status ?? 'missing' };
      continue;
    }
    const value = readPath(fact.value, ep.keys);
    const e: Evidence = { path: ep.path, value: value === undefined ? null : capList(value), source: fact.source, collectedAt: fact.collectedAt, status: 'ok' };
    const omitted = omittedItems(value);
    if (omitted > 0) e.omitted = omitted;
    evidence[i] = e;
  }
  return evidence;
}

function makeResult(
  rule: Rule,
  prepared: PreparedTarget,
  params: Record<string, unknown>,
  status: RuleStatus,
  reason: string | undefined,
  subjects: string[],
): RuleResult {
  const { target } = prepared;
  const r: RuleResult = {
    ruleId: rule.id,
    targetKind: target.kind,
    targetId: target.id,
    targetName: target.name,
    status,
    subjects,
    evidence: buildEvidence(rule, prepared),
    params,
    severity: rule.severity,
    goals: rule.goals,
  };
  if (reason !== undefined) r.reason = reason;
  return r;
}

const NOT_APPLICABLE = bilingual('regeln gäller inte det här målet', 'the rule does not apply to this target');

/** The CEL context of a target: `{ <kind>: values, params, now }`; `params` is set per rule. */
interface TargetContext extends Record<string, unknown> {
  params: Record<string, unknown>;
}

function targetContext(prepared: PreparedTarget, params: Record<string, unknown>, now: Date): TargetContext {
  return { [prepared.target.kind]: prepared.values, params, now };
}

/** Evaluates one rule on one prepared target. The runtime clock must already be set. */
export function evaluateRule(rule: Rule, prepared: PreparedTarget, params: Record<string, unknown>, now: Date): RuleResult {
  return evaluateInContext(rule, prepared, params, targetContext(prepared, params, now));
}

function evaluateInContext(rule: Rule, prepared: PreparedTarget, params: Record<string, unknown>, context: TargetContext): RuleResult {
  const c = rule.compiled;
  let unavailable: string | undefined;
  for (let i = 0; i < rule.facts.length; i++) {
    const name = rule.facts[i]!;
    const fact = factNamed(prepared, name);
    if (fact === undefined || fact.status !== 'ok') {
      const problem = factProblem(prepared.target.kind, name, fact);
      unavailable = unavailable === undefined ? problem : `${unavailable}; ${problem}`;
    }
  }
  // The rule's expressions share repeated subexpressions (the same condition in
  // unknownWhen, check and subjects) through this evaluation id.
  const evaluation = newEvaluation();
  if (unavailable !== undefined) {
    if (c.applies && c.appliesFacts.every((f) => factNamed(prepared, f)?.status === 'ok')) {
      if (boolOrProblem(c.applies, context, evaluation) === false) return makeResult(rule, prepared, params, 'not_applicable', NOT_APPLICABLE, []);
    }
    return makeResult(rule, prepared, params, 'unknown', unavailable, []);
  }

  if (c.applies) {
    const applies = boolOrProblem(c.applies, context, evaluation);
    if (typeof applies === 'string') return makeResult(rule, prepared, params, 'unknown', expressionFailed('applies', applies), []);
    if (!applies) return makeResult(rule, prepared, params, 'not_applicable', NOT_APPLICABLE, []);
  }
  for (let i = 0; i < c.unknownWhen.length; i++) {
    const u = c.unknownWhen[i]!;
    const when = boolOrProblem(u.expression, context, evaluation);
    if (typeof when === 'string') return makeResult(rule, prepared, params, 'unknown', expressionFailed(`unknownWhen[${i}]`, when), []);
    if (when) return makeResult(rule, prepared, params, 'unknown', bilingual(u.reason.sv, u.reason.en), []);
  }
  const check = boolOrProblem(c.check, context, evaluation);
  if (typeof check === 'string') return makeResult(rule, prepared, params, 'unknown', expressionFailed('check', check), []);
  if (check) return makeResult(rule, prepared, params, 'pass', undefined, []);
  const { subjects, problem } = evaluateSubjects(c.subjects, context, evaluation);
  return makeResult(rule, prepared, params, 'fail', problem ? expressionFailed('subjects', problem) : undefined, subjects);
}

/**
 * Evaluates every rule for the target's kind (aggregate rules excluded). Throws
 * ParamsError when `options.params` has unknown rules, keys or wrongly typed values.
 */
export function evaluateTarget(ruleSet: RuleSet, target: EvaluationTarget, options: EvaluateOptions): RuleResult[] {
  const rules = ruleSet.byTarget.get(target.kind);
  if (!rules || rules.length === 0) return [];
  const params = resolveParams(ruleSet, options.params);
  ruleSet.runtime.clock.now = options.now.getTime();
  const prepared = prepareTarget(target);
  // One context for all the target's rules; only its params change from rule to rule.
  const context = targetContext(prepared, {}, options.now);
  const results: RuleResult[] = new Array(rules.length);
  for (let i = 0; i < rules.length; i++) {
    const rule = rules[i]!;
    const ruleParams = params.get(rule.id)!;
    context.params = ruleParams;
    results[i] = evaluateInContext(rule, prepared, ruleParams, context);
  }
  return results;
}
