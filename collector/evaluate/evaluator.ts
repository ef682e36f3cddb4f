import type { Report } from '../../report/schema.js';
import { evaluateAggregates, evaluateTarget, type EvaluationTarget, type RuleResult, type RuleSet } from '../../rules/engine/index.js';
import { manualFindings } from '../services/manual-controls.js';
import { loadTenantTarget } from '../services/tenant-facts.js';
import { defaultTenantRules, loadTenantRules, type TenantRules } from '../services/tenant-settings.js';
import { applyDisabled, type TenantRuleCache } from '../services/tenant-rules.js';
import { attestationStore } from '../store/attestations.js';
import type { FindingInput, FindingStatusRow, Store } from '../store/index.js';

export type ParamOverrides = Record<string, Record<string, unknown>>;

/** Judges reports with a loaded rule set; pure apart from reading the store for aggregates. */
export class Evaluator {
  constructor(
    readonly ruleSet: RuleSet,
    /** Overrides for every tenant; only where no tenant settings are given (local tools, tests). */
    private readonly params: ParamOverrides = {},
    /** Each tenant's settings (parameter overrides, disabled rules, network model). */
    private readonly tenants?: TenantRuleCache,
  ) {}

  /** The tenant's rule settings now: its settings version is read each time, so a change on any replica counts at once. */
  async rulesFor(tenantId: string): Promise<TenantRules> {
    return this.tenants ? this.tenants.current(tenantId) : defaultTenantRules(tenantId);
  }

  evaluateReport(report: Report, now: Date, tenant?: TenantRules): FindingInput[] {
    return this.judgeTargets(report.targets, now, tenant);
  }

  /** Judges targets with the tenant's settings: its parameters, and its disabled rules shown as disabled. */
  judgeTargets(targets: readonly EvaluationTarget[], now: Date, tenant?: TenantRules): FindingInput[] {
    const params = tenant && tenant.version > 0 ? tenant.params : this.params;
    return applyDisabled(
      targets.flatMap((target) => evaluateTarget(this.ruleSet, target, { now, params }).map(toFindingInput)),
      tenant,
    );
  }

  /**
   * Re-judges the tenant-wide results: the aggregate rules (e.g. the share of hosts with
   * working anti-virus) and the manual controls from their latest attestations. A disabled
   * rule's findings are not counted by an aggregate: a target with nothing else is unknown.
   */
  async refreshAggregates(store: Store, tenantId: string, now: Date): Promise<FindingInput[]> {
    const [tenant, rows, attestations, derived] = await Promise.all([
      this.tenants ? this.tenants.current(tenantId) : loadTenantRules(store, this.ruleSet, tenantId),
      store.listFindingStatuses(tenantId, { ruleIds: this.aggregateSourceRuleIds() }),
      attestationStore(store).latest(tenantId),
      this.hasTenantFactRules() ? this.derivedTenantTarget(store, tenantId, now) : undefined,
    ]);
    const params = tenant.version > 0 ? tenant.params : this.params;
    const judged = rows.filter((r) => r.status !== 'disabled').map(fromFindingRow);
    const aggregates = evaluateAggregates(this.ruleSet, judged, { now, params, tenantId }).map(toFindingInput);
    const fromFacts = derived ? this.judgeTargets([derived], now, tenant) : [];
    const results = applyDisabled([...aggregates, ...manualFindings(this.ruleSet, tenantId, attestations, now)], tenant).concat(fromFacts);
    await store.replaceFindings(tenantId, results, now);
    return results;
  }

  /** Tenant rules on derived facts (coverage in people, hosts outside the register), as opposed to aggregates. */
  private hasTenantFactRules(): boolean {
    return (this.ruleSet.byTarget.get('tenant') ?? []).length > 0;
  }

  private async derivedTenantTarget(store: Store, tenantId: string, now: Date): Promise<EvaluationTarget> {
    const name = (await store.getTenant(tenantId))?.name ?? tenantId;
    return loadTenantTarget(store, tenantId, name, now);
  }

  private aggregateSourceRuleIds(): string[] {
    return [...new Set(this.ruleSet.rules.flatMap((r) => r.aggregate?.rules ?? []))];
  }
}

function toFindingInput(r: RuleResult): FindingInput {
  return {
    ruleId: r.ruleId,
    targetKind: r.targetKind,
    targetId: r.targetId,
    targetName: r.targetName,
    status: r.status,
    reason: r.reason,
    subjects: r.subjects,
    evidence: r.evidence,
    params: r.params,
    severity: r.severity,
    goals: r.goals,
  };
}

/** A stored finding as the tenant-wide rules count it; they do not look at evidence. */
function fromFindingRow(row: FindingStatusRow): RuleResult {
  return {
    ruleId: row.rule_id,
    targetKind: row.target_kind as RuleResult['targetKind'],
    targetId: row.target_id,
    targetName: row.target_name,
    status: row.status as RuleResult['status'],
    reason: row.reason ?? undefined,
    subjects: JSON.parse(row.subjects) as string[],
    evidence: [],
    params: JSON.parse(row.params) as Record<string, unknown>,
    severity: row.severity as RuleResult['severity'],
    goals: JSON.parse(row.goals) as string[],
  };
}
