/** What a change of a finding's status means for the people following it. */
export type TransitionKind =
  /** Failing for the first time. */
  | 'new'
  /** Failing again after it had been resolved. */
  | 'regressed'
  /** Was failing, now passes (or no longer applies). */
  | 'resolved'
  /** Could not be judged any more: a fact is missing or failed. */
  | 'unknown'
  /** Judged again after being unknown, and not failing. */
  | 'known';

/** `disabled`: the tenant switched the rule off (with a reason); neither passed nor judged. */
export type FindingStatus = 'pass' | 'fail' | 'unknown' | 'not_applicable' | 'disabled';

export interface PreviousState {
  status: string;
  /** When the finding last went from failing to resolved; null if it never did. */
  resolvedAt: string | null;
}

/** The meaning of a status change; null when the status did not change. */
export function classifyTransition(previous: PreviousState | undefined, next: FindingStatus): TransitionKind | null {
  if (previous?.status === next) return null;
  // Switching a rule off fixes nothing: no "resolved", no alert; the audit trail has the change.
  if (next === 'disabled') return null;
  if (next === 'fail') return previous?.resolvedAt ? 'regressed' : 'new';
  if (next === 'unknown') return 'unknown';
  if (previous?.status === 'fail') return 'resolved';
  return previous ? 'known' : null;
}

/** One change of a finding's status, as the alerting and the history see it. */
export interface FindingTransition {
  kind: TransitionKind;
  ruleId: string;
  targetKind: string;
  targetId: string;
  targetName: string;
  fromStatus: string | null;
  toStatus: FindingStatus;
  severity: string;
  goals: string[];
  subjects: string[];
  reportId: string | null;
  at: string;
}
