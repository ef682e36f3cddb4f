import type { Report } from '../report/schema.js';
import { BUNDLED_RULE_DIRS, evaluateAggregates, evaluateTarget, loadRules, type ParamOverrides, type RuleResult, type RuleSet } from '../rules/engine/index.js';
import { goalById } from '../rules/goals.js';
import { tenantTarget } from '../rules/tenant-facts/index.js';
import type { FindingsTableInput } from './format/findings.js';

/** Judges a report on this machine with the bundled rule packs (and any extra folders). */
export async function evaluateLocally(
  report: Report,
  extraRuleDirs: readonly string[] = [],
  now = new Date(),
  /** Parameter overrides for the loaded rules, e.g. from a network model. */
  paramsFor?: (ruleSet: RuleSet) => ParamOverrides,
): Promise<{ ruleSet: RuleSet; results: RuleResult[] }> {
  const ruleSet = await loadRules([...BUNDLED_RULE_DIRS, ...extraRuleDirs]);
  const params = paramsFor?.(ruleSet);
  const perTarget = report.targets.flatMap((target) => evaluateTarget(ruleSet, target, { now, params }));
  // A local scan of, say, only switches says nothing about the tenant's hosts: tenant rules
  // over rules that produced no result here are left out rather than reported unknown.
  const evaluated = new Set(perTarget.map((r) => r.ruleId));
  const aggregates = evaluateAggregates(ruleSet, perTarget, { now, params, tenantId: 'lokal', tenantName: report.agent.hostname }).filter((r) =>
    (ruleSet.byId.get(r.ruleId)?.aggregate?.rules ?? []).some((id) => evaluated.has(id)),
  );
  // Coverage and register facts need the system register; a scan without it says nothing about them.
  const derived = report.targets.some((t) => t.kind === 'system')
    ? evaluateTarget(ruleSet, tenantTarget('lokal', report.agent.hostname, report.targets, now), { now, params })
    : [];
  return { ruleSet, results: [...perTarget, ...derived, ...aggregates] };
}

/** How the terminal views look up rule and goal texts. */
export function ruleTextLookup(ruleSet: RuleSet): Pick<FindingsTableInput, 'ruleText' | 'goalTitle'> {
  return {
    ruleText: (id) => {
      const rule = ruleSet.allById.get(id);
      return rule ? { title: rule.title, remediation: rule.remediation } : undefined;
    },
    goalTitle: (id) => goalById(id)?.title,
  };
}
