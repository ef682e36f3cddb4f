import { BUNDLED_RULE_DIRS, loadRules, type Rule, type RuleSet } from '../../rules/engine/index.js';
import type { Lang } from './i18n/index.js';

/** The collector's rule set when it was handed one; otherwise the bundled packs, loaded once. */
export class RuleCatalogue {
  private loading: Promise<RuleSet> | undefined;
  constructor(private readonly given?: RuleSet) {}

  async get(): Promise<RuleSet> {
    if (this.given) return this.given;
    this.loading ??= loadRules(BUNDLED_RULE_DIRS);
    return this.loading;
  }
}

export function ruleTitle(rules: RuleSet, ruleId: string, lang: Lang): string {
  return rules.byId.get(ruleId)?.title[lang] ?? ruleId;
}

export function ruleOf(rules: RuleSet, ruleId: string): Rule | undefined {
  return rules.byId.get(ruleId);
}
