import { z } from 'zod';
import { attestationStore, type StoredAttestation } from '../store/attestations.js';
import { longestValidity, manualControl, manualControls, validUntil, type ManualControl } from './manual-controls.js';
import { dateSchema, reasonSchema, SettingsError, type SettingsContext } from './tenant-settings.js';

/** An attestation due for review within this many days is shown as due. */
export const DUE_SOON_DAYS = 30;

export const attestationRequestSchema = z.strictObject({
  outcome: z.enum(['met', 'not_met'], { error: 'ange met (uppfylld) eller not_met (inte uppfylld)' }),
  /** Where the evidence is: a document, a decision, a ticket (`Diarienr KS 2026/114`). */
  evidenceRef: z
    .string({ error: 'en hänvisning till underlaget krävs (an evidence reference is required)' })
    .trim()
    .min(3, 'ange var underlaget finns (where the evidence is kept)')
    .max(500),
  nextReviewAt: dateSchema.optional(),
  reason: reasonSchema,
});
export type AttestationRequest = z.input<typeof attestationRequestSchema>;

export type ControlState = 'met' | 'not_met' | 'missing' | 'expired';

export function presentAttestation(row: StoredAttestation) {
  return {
    id: row.id,
    controlId: row.control_id,
    outcome: row.outcome as 'met' | 'not_met',
    evidenceRef: row.evidence_ref,
    reason: row.reason,
    attestedBy: row.attested_by,
    attestedAt: row.attested_at,
    nextReviewAt: row.next_review_at,
  };
}

/** A control with its current attestation: met, not met, missing, or expired (past its review date). */
export function presentControl(control: ManualControl, latest: StoredAttestation | undefined, now: Date) {
  const until = latest ? validUntil(control, latest) : undefined;
  const state: ControlState = !latest ? 'missing' : until!.getTime() <= now.getTime() ? 'expired' : (latest.outcome as 'met' | 'not_met');
  const dueSoon = until !== undefined && state !== 'expired' && until.getTime() - now.getTime() <= DUE_SOON_DAYS * 86_400_000;
  return {
    id: control.id,
    title: control.title,
    question: control.manual.question,
    evidence: control.manual.evidence,
    reviewMonths: control.manual.reviewMonths,
    severity: control.severity,
    goals: control.goals,
    state,
    dueSoon,
    attestation: latest ? { ...presentAttestation(latest), validUntil: until!.toISOString() } : null,
  };
}
export type PresentedControl = ReturnType<typeof presentControl>;

export async function listControls(ctx: Pick<SettingsContext, 'store' | 'ruleSet'>, tenantId: string, now: Date): Promise<PresentedControl[]> {
  const latest = await attestationStore(ctx.store).latest(tenantId);
  return manualControls(ctx.ruleSet).map((c) => presentControl(c, latest.get(c.id), now));
}

/**
 * Records that a person confirmed (or found unmet) a manual control. The attestation
 * holds until its next review, at most the control's `reviewMonths` away; it is then
 * expired and the control unknown again.
 */
export async function attestControl(ctx: SettingsContext, tenantId: string, controlId: string, input: unknown, actor: string, now: Date): Promise<PresentedControl> {
  const parsed = attestationRequestSchema.safeParse(input);
  if (!parsed.success) throw SettingsError.fromZod(parsed.error);
  const control = manualControl(ctx.ruleSet, controlId);
  if (!control) throw new SettingsError([{ path: 'controlId', message: `okänd manuell kontroll "${controlId}" (unknown manual control)` }]);
  const request = parsed.data;
  const longest = longestValidity(control, now);
  const nextReviewAt = request.nextReviewAt ?? longest.toISOString();
  if (nextReviewAt <= now.toISOString()) throw new SettingsError([{ path: 'nextReviewAt', message: 'nästa granskning ska ligga i framtiden (the next review must be in the future)' }]);
  // A day's end is accepted on the last allowed day.
  if (Date.parse(nextReviewAt) > longest.getTime() + 86_400_000) {
    throw new SettingsError([{ path: 'nextReviewAt', message: `intyget gäller högst ${control.manual.reviewMonths} månader (at most ${control.manual.reviewMonths} months)` }]);
  }
  const row = await attestationStore(ctx.store).add(
    { tenant_id: tenantId, control_id: controlId, outcome: request.outcome, evidence_ref: request.evidenceRef, reason: request.reason, attested_by: actor, attested_at: now.toISOString(), next_review_at: nextReviewAt },
    (previous) => ({
      actor,
      action: 'control.attested',
      details: {
        controlId,
        reason: request.reason,
        old: previous ? { outcome: previous.outcome, evidenceRef: previous.evidence_ref, attestedBy: previous.attested_by, nextReviewAt: previous.next_review_at } : null,
        new: { outcome: request.outcome, evidenceRef: request.evidenceRef, attestedBy: actor, nextReviewAt },
      },
      at: now,
    }),
  );
  ctx.onChanged?.(tenantId, 'attestation');
  return presentControl(control, row, now);
}
