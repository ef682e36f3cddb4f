import { BUNDLED_RULE_DIRS, loadRules, type AnyRule, type RuleSet } from '../../rules/engine/index.js';
import { bundledFrameworks, type FrameworkSet } from '../../rules/frameworks/index.js';
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

  /** The framework files shipped with basvakt (rules/frameworks/*.yaml). */
  frameworks(): FrameworkSet {
    return bundledFrameworks();
  }
}

export function ruleTitle(rules: RuleSet, ruleId: string, lang: Lang): string {
  return rules.allById.get(ruleId)?.title[lang] ?? ruleId;
}

export function ruleOf(rules: RuleSet, ruleId: string): AnyRule | undefined {
  return rules.allById.get(ruleId);
}
