import { z } from 'zod';
import type { Store } from '../store/index.js';
import type { StoredWaiver } from '../store/waivers.js';
import { newId } from './secrets.js';

const MAX_WAIVER_DAYS = 366;

export const waiverRequestSchema = z.strictObject({
  ruleId: z.string().regex(/^[A-Z][A-Z0-9-]{2,40}$/, 'ett regel-id, t.ex. BV-AV-001'),
  /** Omit both for every target of the rule. */
  targetKind: z.string().max(32).optional(),
  targetId: z.string().max(256).optional(),
  reason: z.string().min(10, 'skriv varför risken accepteras (minst 10 tecken)').max(4000),
  riskOwner: z.string().min(2).max(256),
  expiresAt: z.iso.datetime({ offset: true }),
  reviewAt: z.iso.datetime({ offset: true }).optional(),
});
export type WaiverRequest = z.infer<typeof waiverRequestSchema>;

export class WaiverError extends Error {}

/** Grants a waiver; an expiry is required and at most a year away, so every accepted risk is looked at again. */
export async function grantWaiver(store: Store, tenantId: string, request: WaiverRequest, approver: string, now = new Date()): Promise<StoredWaiver> {
  const expires = Date.parse(request.expiresAt);
  if (expires <= now.getTime()) throw new WaiverError('utgångsdatumet måste ligga i framtiden (expiry must be in the future)');
  if (expires > now.getTime() + MAX_WAIVER_DAYS * 86_400_000) throw new WaiverError(`ett undantag gäller högst ${MAX_WAIVER_DAYS} dagar (at most ${MAX_WAIVER_DAYS} days)`);
  if (request.targetId && !request.targetKind) throw new WaiverError('ange targetKind tillsammans med targetId');
  const waiver: StoredWaiver = {
    id: newId('wvr'),
    tenant_id: tenantId,
    rule_id: request.ruleId,
    target_kind: request.targetKind ?? '*',
    target_id: request.targetId ?? '*',
    reason: request.reason,
    risk_owner: request.riskOwner,
    approved_by: approver,
    created_at: now.toISOString(),
    expires_at: new Date(expires).toISOString(),
    review_at: request.reviewAt ? new Date(request.reviewAt).toISOString() : null,
    revoked_at: null,
  };
  await store.waivers.create(waiver);
  await store.appendAudit(tenantId, approver, 'waiver.granted', { waiverId: waiver.id, ruleId: waiver.rule_id, target: `${waiver.target_kind}/${waiver.target_id}`, expiresAt: waiver.expires_at, riskOwner: waiver.risk_owner }, now);
  return waiver;
}

export function presentWaiver(w: StoredWaiver, now: Date) {
  const state = w.revoked_at ? 'revoked' : w.expires_at <= now.toISOString() ? 'expired' : 'active';
  return {
    id: w.id,
    ruleId: w.rule_id,
    targetKind: w.target_kind,
    targetId: w.target_id,
    reason: w.reason,
    riskOwner: w.risk_owner,
    approvedBy: w.approved_by,
    createdAt: w.created_at,
    expiresAt: w.expires_at,
    reviewAt: w.review_at,
    reviewDue: state === 'active' && w.review_at !== null && w.review_at <= now.toISOString(),
    state,
  };
}
