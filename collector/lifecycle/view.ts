import type { FindingStatusRow } from '../store/index.js';
import type { StoredWaiver } from '../store/waivers.js';

/** How a finding stands for the people following it; one word each, kept distinct. */
export type Lifecycle = 'new' | 'still-failing' | 'regressed' | 'resolved' | 'passing' | 'error' | 'no-data' | 'not-applicable';

/** Days to fix a failing finding, by severity; a finding past it is overdue. */
export const DEFAULT_DEADLINE_DAYS: Record<string, number> = { critical: 7, high: 30, medium: 90, low: 180, info: 365 };

export interface LifecycleOptions {
  now: Date;
  waivers: readonly StoredWaiver[];
  /** Targets whose agent has been silent past its threshold. */
  silentTargets: ReadonlySet<string>;
  deadlineDays?: Record<string, number>;
}

export interface FindingState {
  /** fail, pass, unknown, not_applicable — or waived when an active waiver covers a failure. */
  effectiveStatus: string;
  lifecycle: Lifecycle;
  /** Days since the current status began. */
  ageDays: number;
  deadline: string | null;
  overdue: boolean;
  waiver: { id: string; reason: string; riskOwner: string; expiresAt: string; reviewDue: boolean } | null;
}

const DAY = 86_400_000;

export function targetKey(kind: string, id: string): string {
  return `${kind}\u0000${id}`;
}

export function waiverFor(row: Pick<FindingStatusRow, 'rule_id' | 'target_kind' | 'target_id'>, waivers: readonly StoredWaiver[]): StoredWaiver | undefined {
  return waivers.find((w) => w.rule_id === row.rule_id && (w.target_kind === '*' || (w.target_kind === row.target_kind && (w.target_id === '*' || w.target_id === row.target_id))));
}

function lifecycleOf(row: FindingStatusRow, silent: boolean): Lifecycle {
  if (silent) return 'no-data';
  switch (row.status) {
    case 'fail':
      if (row.resolved_at && row.status_since > row.resolved_at) return 'regressed';
      // New: it became failing at its latest evaluation.
      return row.status_since === row.last_evaluated_at ? 'new' : 'still-failing';
    case 'pass':
      // Fixed after failing stays "resolved"; "passing" means it never failed.
      return row.resolved_at ? 'resolved' : 'passing';
    case 'unknown':
      return 'error';
    default:
      return 'not-applicable';
  }
}

/** The state of one finding at a moment: waivers applied, lifecycle named, deadline computed. */
export function findingState(row: FindingStatusRow, options: LifecycleOptions): FindingState {
  const deadlines = options.deadlineDays ?? DEFAULT_DEADLINE_DAYS;
  const now = options.now.getTime();
  const since = Date.parse(row.status_since);
  const waiver = row.status === 'fail' ? waiverFor(row, options.waivers) : undefined;
  const days = deadlines[row.severity];
  const deadline = row.status === 'fail' && days !== undefined ? new Date(since + days * DAY).toISOString() : null;
  return {
    effectiveStatus: waiver ? 'waived' : row.status,
    lifecycle: lifecycleOf(row, options.silentTargets.has(targetKey(row.target_kind, row.target_id))),
    ageDays: Math.max(0, Math.floor((now - since) / DAY)),
    deadline,
    overdue: deadline !== null && !waiver && Date.parse(deadline) < now,
    waiver: waiver
      ? { id: waiver.id, reason: waiver.reason, riskOwner: waiver.risk_owner, expiresAt: waiver.expires_at, reviewDue: waiver.review_at !== null && Date.parse(waiver.review_at) <= now }
      : null,
  };
}

export interface Score {
  pass: number;
  fail: number;
  unknown: number;
  waived: number;
  /** Share of judged findings that pass; unknown never counts as a pass. Null with nothing judged. */
  percent: number | null;
}

/** Compliance with and without accepted risks: waived failures count as met only in the second figure. */
export function scores(states: readonly { status: string; effectiveStatus: string }[]): { withoutWaivers: Score; withWaivers: Score } {
  const count = (pick: (s: { status: string; effectiveStatus: string }) => string, waivedCountsAsPass: boolean): Score => {
    const tally = { pass: 0, fail: 0, unknown: 0, waived: 0 };
    for (const s of states) {
      const status = pick(s);
      if (status === 'pass') tally.pass++;
      else if (status === 'fail') tally.fail++;
      else if (status === 'unknown') tally.unknown++;
      else if (status === 'waived') tally.waived++;
    }
    const passing = tally.pass + (waivedCountsAsPass ? tally.waived : 0);
    const judged = tally.pass + tally.fail + tally.unknown + tally.waived;
    return { ...tally, percent: judged === 0 ? null : Math.round((passing / judged) * 1000) / 10 };
  };
  return { withoutWaivers: count((s) => s.status, false), withWaivers: count((s) => s.effectiveStatus, true) };
}
