import { findingState, scores, targetKey, type FindingState } from '../lifecycle/view.js';
import type { FindingFilter, FindingRow, Store } from '../store/index.js';

export interface FindingsOptions {
  now: Date;
  /** A target whose agent has not reported for this long has "no data". */
  silentAfterHours: number;
}

export type PresentedFinding = ReturnType<typeof presentRow>;

function presentRow(row: FindingRow, state: FindingState) {
  return {
    ruleId: row.rule_id,
    targetKind: row.target_kind,
    targetId: row.target_id,
    targetName: row.target_name,
    status: row.status,
    ...state,
    reason: row.reason,
    severity: row.severity,
    goals: JSON.parse(row.goals) as string[],
    subjects: JSON.parse(row.subjects) as string[],
    evidence: row.evidence,
    params: JSON.parse(row.params) as Record<string, unknown>,
    firstSeenAt: row.first_seen_at,
    statusSince: row.status_since,
    lastEvaluatedAt: row.last_evaluated_at,
  };
}

export async function silentTargets(store: Store, tenantId: string, options: FindingsOptions): Promise<Set<string>> {
  const cutoff = new Date(options.now.getTime() - options.silentAfterHours * 3_600_000).toISOString();
  const targets = await store.listTargets(tenantId);
  return new Set(targets.filter((t) => t.last_seen_at < cutoff).map((t) => targetKey(t.kind, t.id)));
}

/** A tenant's findings as people see them: waivers applied, lifecycle named, scores with and without waivers. */
export async function tenantFindings(store: Store, tenantId: string, filter: FindingFilter, options: FindingsOptions) {
  const [rows, waivers, silent] = await Promise.all([store.listFindings(tenantId, filter), store.waivers.active(tenantId, options.now), silentTargets(store, tenantId, options)]);
  const findings = rows.map((row) => presentRow(row, findingState(row, { now: options.now, waivers, silentTargets: silent })));
  return { findings, score: scores(findings) };
}
