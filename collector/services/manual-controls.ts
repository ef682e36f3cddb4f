import { attestationValidUntil, evaluateManualControl, type Attestation, type ManualRule, type RuleSet } from '../../rules/engine/index.js';
import type { FindingInput } from '../store/index.js';
import type { StoredAttestation } from '../store/attestations.js';

export type ManualControl = ManualRule;

export function manualControls(ruleSet: RuleSet): readonly ManualControl[] {
  return ruleSet.manual;
}

export function manualControl(ruleSet: RuleSet, id: string): ManualControl | undefined {
  return ruleSet.manual.find((c) => c.id === id);
}

export function toAttestation(row: StoredAttestation): Attestation {
  return {
    outcome: row.outcome as Attestation['outcome'],
    attestedBy: row.attested_by,
    evidenceRef: row.evidence_ref,
    attestedAt: row.attested_at,
    nextReviewAt: row.next_review_at,
    reason: row.reason,
  };
}

/** Until when an attestation given now can hold at the longest: the control's `reviewMonths`. */
export function longestValidity(control: ManualControl, now: Date): Date {
  return attestationValidUntil(control, { attestedAt: now.toISOString(), nextReviewAt: new Date(8.64e15).toISOString() });
}

/** Until when a stored attestation counts (its next review, capped at `reviewMonths`). */
export function validUntil(control: ManualControl, row: StoredAttestation): Date {
  return attestationValidUntil(control, { attestedAt: row.attested_at, nextReviewAt: row.next_review_at });
}

/**
 * The tenant's manual controls as findings of the tenant target — pass, fail, or unknown
 * when not attested or expired — so scores, goals and framework coverage count them like
 * any other finding, and a change (an attestation running out) alerts like one.
 */
export function manualFindings(ruleSet: RuleSet, tenantId: string, latest: ReadonlyMap<string, StoredAttestation>, now: Date): FindingInput[] {
  return ruleSet.manual.map((control) => {
    const row = latest.get(control.id);
    return evaluateManualControl(control, row ? toAttestation(row) : undefined, { now, tenantId });
  });
}
