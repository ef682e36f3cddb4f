import type { Report } from '../../report/schema.js';
import { evaluateAggregates, evaluateTarget, type RuleResult, type RuleSet } from '../../rules/engine/index.js';
import type { FindingInput, FindingStatusRow, Store } from '../store/index.js';

export type ParamOverrides = Record<string, Record<string, unknown>>;

/** Judges reports with a loaded rule set; pure apart from reading the store for aggregates. */
export class Evaluator {
  constructor(
    readonly ruleSet: RuleSet,
    private readonly params: ParamOverrides = {},
  ) {}

  evaluateReport(report: Report, now: Date): FindingInput[] {
    return report.targets.flatMap((target) => evaluateTarget(this.ruleSet, target, { now, params: this.params }).map(toFindingInput));
  }

  /** Re-judges the tenant-wide rules (e.g. the share of hosts with working anti-virus). */
  async refreshAggregates(store: Store, tenantId: string, now: Date): Promise<FindingInput[]> {
    const rows = await store.listFindingStatuses(tenantId, { ruleIds: this.aggregateSourceRuleIds() });
    const aggregates = evaluateAggregates(this.ruleSet, rows.map(fromFindingRow), { now, params: this.params, tenantId }).map(toFindingInput);
    await store.replaceFindings(tenantId, aggregates, now);
    return aggregates;
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
