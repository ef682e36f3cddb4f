import type { Problem } from '../../common/validation.js';
import type { Fact } from '../../report/schema.js';
import { celErrorMessage, type CompiledExpression } from './cel.js';
import { capList, readPath } from './evidence.js';
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
  facts: ReadonlyMap<string, Fact>;
  /** Values of the ok facts, by name: the CEL context's `<kind>` variable. */
  values: Record<string, unknown>;
}

export function prepareTarget(target: EvaluationTarget): PreparedTarget {
  const facts = new Map<string, Fact>();
  const values: Record<string, unknown> = {};
  for (const fact of target.facts) {
    facts.set(fact.name, fact);
    if (fact.status === 'ok') values[fact.name] = fact.value;
  }
  return { target, facts, values };
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
  let value: unknown;
  try {
    value = expression(context);
  } catch (error) {
    return { ok: false, message: celErrorMessage(error) };
  }
  if (typeof value !== 'boolean') {
    return { ok: false, message: `gav ${describeValue(value)} i stället för true/false (did not yield a boolean)` };
  }
  return { ok: true, value };
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
): { subjects: string[]; problem?: string } {
  if (!expression) return { subjects: [] };
  let value: unknown;
  try {
    value = expression(context);
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
  return rule.compiled.evidence.map((ep) => {
    const fact = prepared.facts.get(ep.fact);
    if (!fact || fact.status !== 'ok') {
      return {
        path: ep.path,
        value: null,
        source: fact?.source ?? null,
        collectedAt: fact?.collectedAt ?? null,
        status: fact?.status ?? 'missing',
      };
    }
    const { value, omitted } = capList(readPath(fact.value, ep.keys));
    const evidence: Evidence = { path: ep.path, value: value === undefined ? null : value, source: fact.source, collectedAt: fact.collectedAt, status: 'ok' };
    if (omitted !== undefined) evidence.omitted = omitted;
    return evidence;
  });
}

/** Evaluates one rule on one prepared target. The runtime clock must already be set. */
export function evaluateRule(rule: Rule, prepared: PreparedTarget, params: Record<string, unknown>, now: Date): RuleResult {
  const { target } = prepared;
  const c = rule.compiled;
  const result = (status: RuleStatus, reason?: string, subjects: string[] = []): RuleResult => {
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
  };
  const notApplicable = () => result('not_applicable', bilingual('regeln gäller inte det här målet', 'the rule does not apply to this target'));

  const context = { [target.kind]: prepared.values, params, now };

  let unavailable: string[] | undefined;
  for (const name of rule.facts) {
    const fact = prepared.facts.get(name);
    if (!fact || fact.status !== 'ok') (unavailable ??= []).push(name);
  }
  if (unavailable) {
    if (c.applies && c.appliesFacts.every((f) => prepared.facts.get(f)?.status === 'ok')) {
      const applies = evaluateBool(c.applies, context);
      if (applies.ok && !applies.value) return notApplicable();
    }
    return result('unknown', unavailable.map((n) => factProblem(target.kind, n, prepared.facts.get(n))).join('; '));
  }

  if (c.applies) {
    const applies = evaluateBool(c.applies, context);
    if (!applies.ok) return result('unknown', expressionFailed('applies', applies.message));
    if (!applies.value) return notApplicable();
  }
  for (let i = 0; i < c.unknownWhen.length; i++) {
    const u = c.unknownWhen[i]!;
    const when = evaluateBool(u.expression, context);
    if (!when.ok) return result('unknown', expressionFailed(`unknownWhen[${i}]`, when.message));
    if (when.value) return result('unknown', bilingual(u.reason.sv, u.reason.en));
  }
  const check = evaluateBool(c.check, context);
  if (!check.ok) return result('unknown', expressionFailed('check', check.message));
  if (check.value) return result('pass');
  const { subjects, problem } = evaluateSubjects(c.subjects, context);
  return result('fail', problem ? expressionFailed('subjects', problem) : undefined, subjects);
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
  const results: RuleResult[] = new Array(rules.length);
  for (let i = 0; i < rules.length; i++) {
    const rule = rules[i]!;
    results[i] = evaluateRule(rule, prepared, params.get(rule.id)!, options.now);
  }
  return results;
}
