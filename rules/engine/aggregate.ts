import { aggregateContext, type AggregateContext, type AggregateCounts } from './aggregate-context.js';
import { evaluateBool, evaluateSubjects, expressionFailed, resolveParams } from './evaluate.js';
import { bilingual } from './problems.js';
import type { RuleStatus } from './schema.js';
import type { AggregateOptions, Evidence, Rule, RuleResult, RuleSet } from './types.js';

/**
 * Tenant aggregate rules. Per target, the results of the rules in `aggregate.rules` are
 * combined: any fail → fail; else any unknown (or a rule without a result) → unknown;
 * else any pass → pass; else not applicable. The check is evaluated twice, with unknown
 * targets counted as failing (pessimistic) and as passing (optimistic): pass if the
 * pessimistic view passes, fail if the optimistic view fails, otherwise unknown. No
 * targets → unknown.
 */

const MAX_NAMES_IN_REASON = 10;

export interface CombinedTargets {
  counts: AggregateCounts;
  failedTargets: string[];
  unknownTargets: string[];
}

function combine(statuses: RuleStatus[]): RuleStatus {
  if (statuses.includes('fail')) return 'fail';
  if (statuses.includes('unknown')) return 'unknown';
  if (statuses.includes('pass')) return 'pass';
  return 'not_applicable';
}

/** Combines per-target results of the given rules into counts and target names. */
export function combineTargets(ruleIds: readonly string[], results: readonly RuleResult[]): CombinedTargets {
  const wanted = new Set(ruleIds);
  const targets = new Map<string, { name: string; statuses: Map<string, RuleStatus> }>();
  for (const r of results) {
    if (!wanted.has(r.ruleId)) continue;
    const key = `${r.targetKind}\u0000${r.targetId}`;
    let t = targets.get(key);
    if (!t) targets.set(key, (t = { name: r.targetName, statuses: new Map() }));
    t.statuses.set(r.ruleId, r.status);
  }
  const counts: AggregateCounts = { pass: 0, fail: 0, unknown: 0, notApplicable: 0 };
  const failedTargets: string[] = [];
  const unknownTargets: string[] = [];
  for (const t of targets.values()) {
    const status = combine(ruleIds.map((id) => t.statuses.get(id) ?? 'unknown'));
    if (status === 'pass') counts.pass++;
    else if (status === 'fail') {
      counts.fail++;
      failedTargets.push(t.name);
    } else if (status === 'unknown') {
      counts.unknown++;
      unknownTargets.push(t.name);
    } else counts.notApplicable++;
  }
  failedTargets.sort();
  unknownTargets.sort();
  return { counts, failedTargets, unknownTargets };
}

function namesForReason(names: string[]): string {
  const shown = names.slice(0, MAX_NAMES_IN_REASON).join(', ');
  return names.length > MAX_NAMES_IN_REASON ? `${shown} … +${names.length - MAX_NAMES_IN_REASON}` : shown;
}

/** Evaluates one aggregate rule on combined counts. The runtime clock must already be set. */
export function evaluateAggregateRule(
  rule: Rule,
  combined: CombinedTargets,
  params: Record<string, unknown>,
  options: AggregateOptions,
): RuleResult {
  const c = rule.compiled;
  const { counts, failedTargets, unknownTargets } = combined;
  const actual = aggregateContext(counts, failedTargets, unknownTargets, 'actual');
  const source = `basvakt: ${rule.aggregate!.rules.join(', ')}`;
  const collectedAt = options.now.toISOString();
  const evidence: Evidence[] = c.aggregateEvidence.map((key) => ({
    path: `aggregate.${key}`,
    value: actual[key as keyof AggregateContext],
    source,
    collectedAt,
    status: 'ok',
  }));
  const result = (status: RuleStatus, reason?: string, subjects: string[] = []): RuleResult => {
    const r: RuleResult = {
      ruleId: rule.id,
      targetKind: 'tenant',
      targetId: options.tenantId,
      targetName: options.tenantName ?? options.tenantId,
      status,
      subjects,
      evidence,
      params,
      severity: rule.severity,
      goals: rule.goals,
    };
    if (reason !== undefined) r.reason = reason;
    return r;
  };

  if (actual.total === 0) {
    return result('unknown', bilingual('inga mål har rapporterat resultat för regeln', 'no targets reported'));
  }
  const view = (v: 'pessimistic' | 'optimistic') => ({
    aggregate: aggregateContext(counts, failedTargets, unknownTargets, v),
    params,
    now: options.now,
  });
  const pessimisticContext = view('pessimistic');
  const pessimistic = evaluateBool(c.check, pessimisticContext);
  if (!pessimistic.ok) return result('unknown', expressionFailed('check', pessimistic.message));
  if (pessimistic.value) return result('pass');
  const optimistic = evaluateBool(c.check, view('optimistic'));
  if (!optimistic.ok) return result('unknown', expressionFailed('check', optimistic.message));
  if (optimistic.value) {
    return result(
      'unknown',
      `${bilingual(
        `${counts.unknown} mål har okänt resultat och avgör utfallet`,
        `${counts.unknown} targets have an unknown result that decides the outcome`,
      )}: ${namesForReason(unknownTargets)}`,
    );
  }
  const { subjects, problem } = evaluateSubjects(c.subjects, pessimisticContext);
  return result('fail', problem ? expressionFailed('subjects', problem) : undefined, subjects);
}

/**
 * Evaluates the tenant aggregate rules over per-target results (from evaluateTarget) of
 * one tenant. Throws ParamsError when `options.params` is not valid.
 */
export function evaluateAggregates(ruleSet: RuleSet, results: readonly RuleResult[], options: AggregateOptions): RuleResult[] {
  if (ruleSet.aggregates.length === 0) return [];
  const params = resolveParams(ruleSet, options.params);
  ruleSet.runtime.clock.now = options.now.getTime();
  return ruleSet.aggregates.map((rule) =>
    evaluateAggregateRule(rule, combineTargets(rule.aggregate!.rules, results), params.get(rule.id)!, options),
  );
}
