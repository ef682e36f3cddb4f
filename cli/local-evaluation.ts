import type { Report } from '../report/schema.js';
import { BUNDLED_RULE_DIRS, evaluateAggregates, evaluateTarget, loadRules, type RuleResult, type RuleSet } from '../rules/engine/index.js';
import { goalById } from '../rules/goals.js';
import type { FindingsTableInput } from './format/findings.js';

/** Judges a report on this machine with the bundled rule packs (and any extra folders). */
export async function evaluateLocally(report: Report, extraRuleDirs: readonly string[] = [], now = new Date()): Promise<{ ruleSet: RuleSet; results: RuleResult[] }> {
  const ruleSet = await loadRules([...BUNDLED_RULE_DIRS, ...extraRuleDirs]);
  const perTarget = report.targets.flatMap((target) => evaluateTarget(ruleSet, target, { now }));
  const aggregates = evaluateAggregates(ruleSet, perTarget, { now, tenantId: 'lokal', tenantName: report.agent.hostname });
  return { ruleSet, results: [...perTarget, ...aggregates] };
}

/** How the terminal views look up rule and goal texts. */
export function ruleTextLookup(ruleSet: RuleSet): Pick<FindingsTableInput, 'ruleText' | 'goalTitle'> {
  return {
    ruleText: (id) => {
      const rule = ruleSet.byId.get(id);
      return rule ? { title: rule.title, remediation: rule.remediation } : undefined;
    },
    goalTitle: (id) => goalById(id)?.title,
  };
}
