import { z } from 'zod';
import { bilingual } from './problems.js';
import type { RuleStatus } from './schema.js';
import type { Evidence, ManualRule, RuleResult } from './types.js';

/**
 * Manual controls: requirements no scanner can see (a process, a training, an offline backup),
 * confirmed by a person. An attestation says who confirmed what, with which evidence, when, and
 * when it must be confirmed again. Unknown is not pass: no attestation, an expired one or one
 * dated in the future gives `unknown`, never `pass`.
 */

export const ATTESTATION_OUTCOMES = ['met', 'not_met'] as const;
export type AttestationOutcome = (typeof ATTESTATION_OUTCOMES)[number];

const timestamp = z.iso.datetime({ offset: true });

export const attestationSchema = z.strictObject({
  outcome: z.enum(ATTESTATION_OUTCOMES),
  /** Who confirmed it: a person, in their role. */
  attestedBy: z.string().trim().min(1).max(200),
  /** Where the evidence is: a diary number, a document, a link. */
  evidenceRef: z.string().trim().min(1).max(500),
  attestedAt: timestamp,
  nextReviewAt: timestamp,
  /** Free text: what was checked, or why it is not met. */
  reason: z.string().trim().max(2000).optional(),
});
export type Attestation = z.infer<typeof attestationSchema>;

export interface ManualEvaluationOptions {
  now: Date;
  /** The tenant the control is about; becomes the result's target. */
  tenantId: string;
  tenantName?: string;
}

/** `date` plus whole months in UTC, on the last day of the month when the day does not exist. */
function addMonths(date: Date, months: number): Date {
  const y = date.getUTCFullYear();
  const m = date.getUTCMonth() + months;
  const lastDay = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
  const out = new Date(date.getTime());
  out.setUTCFullYear(y, m, Math.min(date.getUTCDate(), lastDay));
  return out;
}

/**
 * Until when an attestation counts: its own next review date, but never later than the
 * control's `reviewMonths` after it was given.
 */
export function attestationValidUntil(rule: Pick<ManualRule, 'manual'>, attestation: Pick<Attestation, 'attestedAt' | 'nextReviewAt'>): Date {
  const latest = addMonths(new Date(attestation.attestedAt), rule.manual.reviewMonths);
  const next = new Date(attestation.nextReviewAt);
  return next.getTime() < latest.getTime() ? next : latest;
}

const ATTESTATION_SOURCE = 'intyg (attestation)';

function attestationEvidence(attestation: Attestation | undefined, validUntil: Date | undefined): Evidence[] {
  if (!attestation) return [{ path: 'attestation', value: null, source: null, collectedAt: null, status: 'missing' }];
  const fields: [string, unknown][] = [
    ['outcome', attestation.outcome],
    ['attestedBy', attestation.attestedBy],
    ['evidenceRef', attestation.evidenceRef],
    ['attestedAt', attestation.attestedAt],
    ['nextReviewAt', attestation.nextReviewAt],
    ['validUntil', validUntil?.toISOString() ?? null],
    ...(attestation.reason !== undefined ? ([['reason', attestation.reason]] as [string, unknown][]) : []),
  ];
  return fields.map(([key, value]) => ({ path: `attestation.${key}`, value, source: ATTESTATION_SOURCE, collectedAt: attestation.attestedAt, status: 'ok' }));
}

const day = (d: Date) => d.toISOString().slice(0, 10);

/**
 * The result of a manual control for a tenant: pass when attested as met and still valid;
 * fail when attested as not met; unknown when not attested, expired or dated in the future.
 * The evidence is the attestation's fields.
 */
export function evaluateManualControl(rule: ManualRule, attestation: Attestation | undefined, options: ManualEvaluationOptions): RuleResult {
  const validUntil = attestation ? attestationValidUntil(rule, attestation) : undefined;
  const result = (status: RuleStatus, reason?: string): RuleResult => ({
    ruleId: rule.id,
    targetKind: 'tenant',
    targetId: options.tenantId,
    targetName: options.tenantName ?? options.tenantId,
    status,
    ...(reason !== undefined ? { reason } : {}),
    subjects: [],
    evidence: attestationEvidence(attestation, validUntil),
    params: {},
    severity: rule.severity,
    goals: rule.goals,
  });
  if (!attestation) return result('unknown', bilingual('inte bekräftad', 'not attested'));
  const now = options.now.getTime();
  const attestedAt = new Date(attestation.attestedAt);
  if (attestedAt.getTime() > now) {
    return result('unknown', bilingual(`bekräftelsen är daterad ${day(attestedAt)}, efter bedömningen`, 'attestation dated in the future'));
  }
  const by = `${attestation.attestedBy}, ${day(attestedAt)}`;
  if (attestation.outcome === 'not_met') return result('fail', bilingual(`bekräftad som inte uppfylld av ${by}`, 'attested as not met'));
  if (validUntil!.getTime() < now) {
    return result('unknown', bilingual(`bekräftelsen gick ut ${day(validUntil!)} och måste göras om`, 'attestation expired'));
  }
  return result('pass');
}

/** The cases every manual control is tested with (`basvakt rules test`): the file has no tests of its own. */
export interface ManualTestCase {
  name: string;
  now: string;
  attestation?: Attestation;
  expect: RuleStatus;
}

export function manualTestCases(rule: Pick<ManualRule, 'manual'>): ManualTestCase[] {
  const now = '2026-11-23T06:00:00Z';
  const base = { attestedBy: 'Anna Andersson, informationssäkerhetssamordnare', evidenceRef: 'KS 2026/123' };
  const monthsAgo = (n: number) => addMonths(new Date(now), -n).toISOString();
  const beyond = addMonths(new Date(now), rule.manual.reviewMonths * 2).toISOString();
  return [
    { name: 'intygad som uppfylld och giltig (attested met, still valid)', now, attestation: { ...base, outcome: 'met', attestedAt: monthsAgo(1), nextReviewAt: addMonths(new Date(now), 1).toISOString() }, expect: 'pass' },
    { name: 'intygad som inte uppfylld (attested not met)', now, attestation: { ...base, outcome: 'not_met', attestedAt: monthsAgo(1), nextReviewAt: addMonths(new Date(now), 1).toISOString() }, expect: 'fail' },
    { name: 'inte intygad (not attested)', now, expect: 'unknown' },
    { name: 'intyget har gått ut (attestation expired)', now, attestation: { ...base, outcome: 'met', attestedAt: monthsAgo(rule.manual.reviewMonths + 1), nextReviewAt: monthsAgo(1) }, expect: 'unknown' },
    {
      name: `nästa granskning längre bort än ${rule.manual.reviewMonths} månader räknas inte (review date beyond reviewMonths is capped)`,
      now,
      attestation: { ...base, outcome: 'met', attestedAt: monthsAgo(rule.manual.reviewMonths + 1), nextReviewAt: beyond },
      expect: 'unknown',
    },
  ];
}
