import type { RuleSet } from '../../rules/engine/index.js';
import type { FindingInput, Store } from '../store/index.js';
import { tenantSettingsStore } from '../store/tenant-settings.js';
import { loadTenantRules, type TenantRules } from './tenant-settings.js';

/**
 * Each tenant's rule settings, cached per collector process. Before every evaluation batch
 * (one report, one aggregate refresh, one re-judge) the tenant's settings version is read —
 * one primary-key lookup — and the settings are loaded again only when it moved. Several
 * replicas share one database, so a change made on one is used by all the others from
 * their next batch on, with no window in which replicas judge with different settings
 * (which a time-based expiry would leave, and findings judged in it would stand until the
 * target's next report).
 */
export class TenantRuleCache {
  private readonly cache = new Map<string, Promise<TenantRules>>();

  constructor(
    private readonly store: Store,
    readonly ruleSet: RuleSet,
  ) {}

  async current(tenantId: string): Promise<TenantRules> {
    const { version } = await tenantSettingsStore(this.store).version(tenantId);
    const cached = this.cache.get(tenantId);
    if (cached) {
      const rules = await cached.catch(() => undefined);
      if (rules && rules.version === version) return rules;
    }
    const loading = loadTenantRules(this.store, this.ruleSet, tenantId);
    this.cache.set(tenantId, loading);
    try {
      return await loading;
    } catch (error) {
      if (this.cache.get(tenantId) === loading) this.cache.delete(tenantId);
      throw error;
    }
  }
}

export function disabledReason(setting: { reason: string; changedBy: string; changedAt: string }): string {
  return `avstängd för organisationen av ${setting.changedBy} ${setting.changedAt.slice(0, 10)}: ${setting.reason} (disabled for the organisation)`;
}

/**
 * A disabled rule's findings become `disabled`, with who disabled it and why, instead of
 * their verdict: still listed, so nobody mistakes the rule for absent, but never counted
 * as passed (nor as judged) in a score, goal or framework coverage.
 */
export function applyDisabled(findings: FindingInput[], rules: TenantRules | undefined): FindingInput[] {
  if (!rules || rules.disabled.size === 0) return findings;
  return findings.map((f) => {
    const setting = rules.disabled.get(f.ruleId);
    if (!setting) return f;
    return { ...f, status: 'disabled', reason: disabledReason(setting), subjects: [] };
  });
}
