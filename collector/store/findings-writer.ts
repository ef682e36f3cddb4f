import type { Transaction } from 'kysely';
import type { Report } from '../../report/schema.js';
import { classifyTransition, type FindingTransition } from '../lifecycle/transitions.js';
import { insertMany, upsertMany } from './batch.js';
import { factsByTarget, TargetEvidence, type StoredEvidence, type TargetFacts } from './evidence.js';
import type { Database } from './schema.js';
import type { FindingInput } from './types.js';

/**
 * Called inside the transaction that changes findings, with every change of status, so
 * that what it writes (alerts in the outbox) is committed together with the change.
 */
export type TransitionListener = (trx: Transaction<Database>, tenantId: string, transitions: readonly FindingTransition[]) => Promise<void>;

const FINDING_KEY = ['tenant_id', 'target_kind', 'target_id', 'rule_id'];

/** The columns that hold a judgement. When none of them changed, only the "last judged" marker moves. */
const JUDGEMENT = ['target_name', 'status', 'reason', 'subjects', 'evidence', 'evidence_paths', 'params', 'severity', 'goals'] as const;
type Judgement = Pick<Database['findings'], (typeof JUDGEMENT)[number]>;
type Previous = Judgement & Pick<Database['findings'], 'rule_id' | 'target_kind' | 'target_id' | 'status_since' | 'first_seen_at' | 'resolved_at'>;

/**
 * JSON of a rule's parameters and goals: the rule engine hands out the same objects for every
 * target (and treats them as immutable), so each is serialised once.
 */
const ruleJson = new WeakMap<object, string>();
function jsonOnce(value: object): string {
  let json = ruleJson.get(value);
  if (json === undefined) ruleJson.set(value, (json = JSON.stringify(value)));
  return json;
}

const findingKey = (kind: string, id: string, ruleId: string) => `${kind}\u0000${id}\u0000${ruleId}`;
const targetKey = (f: Pick<FindingInput, 'targetKind' | 'targetId'>) => `${f.targetKind}\u0000${f.targetId}`;

/** The stored findings of the targets `findings` are about, by key; read with the primary key. */
async function previousFindings(trx: Transaction<Database>, tenantId: string, findings: readonly FindingInput[]): Promise<Map<string, Previous>> {
  const idsByKind = new Map<string, Set<string>>();
  for (const f of findings) {
    let ids = idsByKind.get(f.targetKind);
    if (!ids) idsByKind.set(f.targetKind, (ids = new Set()));
    ids.add(f.targetId);
  }
  const previous = new Map<string, Previous>();
  for (const [kind, ids] of idsByKind) {
    const rows = await trx
      .selectFrom('findings')
      .select(['rule_id', 'target_kind', 'target_id', 'status_since', 'first_seen_at', 'resolved_at', ...JUDGEMENT])
      .where('tenant_id', '=', tenantId)
      .where('target_kind', '=', kind)
      .where('target_id', 'in', [...ids])
      .execute();
    for (const r of rows) previous.set(findingKey(r.target_kind, r.target_id, r.rule_id), r);
  }
  return previous;
}

/** Where each target was judged from: its report, and the evidence read from that report's facts. */
class JudgedTargets {
  private readonly sources = new Map<string, { reportId: string; facts: TargetFacts }>();
  private readonly evidence = new Map<string, TargetEvidence>();
  /** Findings stored with a single report belong to it, as ingest always had it, even about a target it lacks. */
  private readonly only: string | null;

  constructor(reports: readonly Report[]) {
    for (const report of reports) for (const [key, facts] of factsByTarget(report)) this.sources.set(key, { reportId: report.reportId, facts });
    this.only = reports.length === 1 ? reports[0]!.reportId : null;
  }

  reportId(f: FindingInput): string | null {
    return this.sources.get(targetKey(f))?.reportId ?? this.only;
  }

  /** By reference when the evidence reads back identically from the target's report; inline otherwise. */
  storedEvidence(f: FindingInput): StoredEvidence {
    const key = targetKey(f);
    const source = this.sources.get(key);
    let target = this.evidence.get(key);
    if (source && !target) this.evidence.set(key, (target = new TargetEvidence(f.targetKind, source.facts)));
    const paths = target?.referenceFor(f.evidence);
    return paths ? { evidence: null, evidence_paths: paths } : { evidence: JSON.stringify(f.evidence), evidence_paths: null };
  }
}

/**
 * Writes the current state of each finding and records every change of status as an event,
 * with a handful of statements whatever the number of rules. `judgedFrom` are the reports
 * the findings' targets were judged from (none for tenant-wide results); a finding refers to
 * its target's report. A finding judged the same as before is not rewritten: one statement
 * per target moves its "last judged" marker and the report its evidence is read from.
 */
export async function writeFindings(
  trx: Transaction<Database>,
  tenantId: string,
  findings: readonly FindingInput[],
  judgedFrom: readonly Report[],
  at: Date,
  listeners: readonly TransitionListener[],
): Promise<void> {
  if (findings.length === 0) return;
  const now = at.toISOString();
  const previousByKey = await previousFindings(trx, tenantId, findings);
  const judged = new JudgedTargets(judgedFrom);
  const written: Database['findings'][] = [];
  const events: Omit<Database['finding_events'], 'id'>[] = [];
  const transitions: FindingTransition[] = [];
  const unchanged = new Map<string, { kind: string; id: string; reportId: string | null; ruleIds: string[] }>();
  for (const f of findings) {
    const previous = previousByKey.get(findingKey(f.targetKind, f.targetId, f.ruleId));
    const reportId = judged.reportId(f);
    const judgement: Judgement = {
      target_name: f.targetName,
      status: f.status,
      reason: f.reason ?? null,
      subjects: f.subjects.length === 0 ? '[]' : JSON.stringify(f.subjects),
      ...judged.storedEvidence(f),
      params: jsonOnce(f.params),
      severity: f.severity,
      goals: jsonOnce(f.goals),
    };
    if (previous && JUDGEMENT.every((c) => previous[c] === judgement[c])) {
      let target = unchanged.get(targetKey(f));
      if (!target) unchanged.set(targetKey(f), (target = { kind: f.targetKind, id: f.targetId, reportId, ruleIds: [] }));
      target.ruleIds.push(f.ruleId);
      continue;
    }
    const kind = classifyTransition(previous ? { status: previous.status, resolvedAt: previous.resolved_at } : undefined, f.status);
    const changed = previous?.status !== f.status;
    written.push({
      tenant_id: tenantId,
      rule_id: f.ruleId,
      target_kind: f.targetKind,
      target_id: f.targetId,
      ...judgement,
      first_seen_at: previous?.first_seen_at ?? now,
      status_since: changed ? now : (previous?.status_since ?? now),
      last_evaluated_at: now,
      report_id: reportId,
      resolved_at: kind === 'resolved' ? now : (previous?.resolved_at ?? null),
    });
    if (changed) {
      events.push({ tenant_id: tenantId, rule_id: f.ruleId, target_kind: f.targetKind, target_id: f.targetId, from_status: previous?.status ?? null, to_status: f.status, at: now, report_id: reportId, kind });
    }
    if (kind) {
      transitions.push({
        kind,
        ruleId: f.ruleId,
        targetKind: f.targetKind,
        targetId: f.targetId,
        targetName: f.targetName,
        fromStatus: previous?.status ?? null,
        toStatus: f.status,
        severity: f.severity,
        goals: f.goals,
        subjects: f.subjects,
        reportId,
        at: now,
      });
    }
  }
  await upsertMany(trx, 'findings', written, FINDING_KEY);
  for (const target of unchanged.values()) {
    await trx
      .updateTable('findings')
      .set({ last_evaluated_at: now, report_id: target.reportId })
      .where('tenant_id', '=', tenantId)
      .where('target_kind', '=', target.kind)
      .where('target_id', '=', target.id)
      .where('rule_id', 'in', target.ruleIds)
      .execute();
  }
  await insertMany(trx, 'finding_events', events);
  // In the same transaction: whatever a listener writes (an alert in the outbox) commits with the finding.
  if (transitions.length > 0) for (const listener of listeners) await listener(trx, tenantId, transitions);
}
