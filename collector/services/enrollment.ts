import type { EnrollRequest, EnrollResponse } from '../../report/api.js';
import type { Store } from '../store/index.js';
import { hashSecret, newId, newSecret } from './secrets.js';

export const ENROLLMENT_TOKEN_PREFIX = 'bve_';
export const API_TOKEN_PREFIX = 'bva_';

export class EnrollmentError extends Error {
  constructor(readonly reason: 'unknown' | 'expired' | 'revoked' | 'used-up') {
    super(ENROLLMENT_REASONS[reason]);
    this.name = 'EnrollmentError';
  }
}

const ENROLLMENT_REASONS = {
  unknown: 'Okänd anslutningsnyckel (unknown enrollment token)',
  expired: 'Anslutningsnyckeln har gått ut (enrollment token expired)',
  revoked: 'Anslutningsnyckeln är återkallad (enrollment token revoked)',
  'used-up': 'Anslutningsnyckeln är förbrukad (enrollment token has no uses left)',
} as const;

export interface CreatedToken {
  id: string;
  token: string;
  expiresAt?: string;
}

export async function createEnrollmentToken(
  store: Store,
  input: { tenantId: string; validForHours: number; maxUses: number; actor: string },
  now = new Date(),
): Promise<CreatedToken> {
  const tenant = await store.getTenant(input.tenantId);
  if (!tenant) throw new Error(`okänd organisation (unknown tenant): ${input.tenantId}`);
  const id = newId('enr');
  const token = newSecret(ENROLLMENT_TOKEN_PREFIX);
  const expiresAt = new Date(now.getTime() + input.validForHours * 3_600_000).toISOString();
  await store.createEnrollmentToken({
    id,
    tenant_id: input.tenantId,
    token_hash: hashSecret(token),
    created_at: now.toISOString(),
    expires_at: expiresAt,
    max_uses: input.maxUses,
    uses: 0,
    revoked_at: null,
    created_by: input.actor,
  });
  await store.appendAudit(input.tenantId, input.actor, 'enrollment-token.created', { tokenId: id, expiresAt, maxUses: input.maxUses }, now);
  return { id, token, expiresAt };
}

export async function createApiToken(store: Store, input: { tenantId: string; role: 'reader'; actor: string }, now = new Date()): Promise<CreatedToken> {
  const tenant = await store.getTenant(input.tenantId);
  if (!tenant) throw new Error(`okänd organisation (unknown tenant): ${input.tenantId}`);
  const id = newId('api');
  const token = newSecret(API_TOKEN_PREFIX);
  await store.createApiToken({ id, tenant_id: input.tenantId, token_hash: hashSecret(token), role: input.role, created_at: now.toISOString(), revoked_at: null, name: null });
  await store.appendAudit(input.tenantId, input.actor, 'api-token.created', { tokenId: id, role: input.role }, now);
  return { id, token };
}

/** Trades an enrollment token for a per-agent credential; the secret is returned once. */
export async function enrollAgent(store: Store, request: EnrollRequest, now = new Date()): Promise<EnrollResponse> {
  const agentId = newId('agt');
  const secret = newSecret();
  const outcome = await store.enrollAgent(
    hashSecret(request.token),
    { id: agentId, hostname: request.hostname, secret_hash: hashSecret(secret), version: request.agentVersion, enrolled_at: now.toISOString() },
    now,
  );
  if (!outcome.ok) throw new EnrollmentError(outcome.reason);
  return { agentId, secret, tenant: outcome.tenantId };
}

/** Replaces an agent's secret; the old one stops working at once. The new one is returned once. */
export async function rotateAgentSecret(store: Store, agentId: string, now = new Date()): Promise<string> {
  const secret = newSecret();
  const agent = await store.getAgent(agentId);
  if (!agent) throw new Error(`unknown agent ${agentId}`);
  await store.db.updateTable('agents').set({ secret_hash: hashSecret(secret) }).where('id', '=', agentId).execute();
  await store.appendAudit(agent.tenant_id, `agent:${agentId}`, 'agent.credential-rotated', {}, now);
  return secret;
}

export async function revokeAgent(store: Store, tenantId: string, agentId: string, actor: string, now = new Date()): Promise<boolean> {
  const result = await store.db.updateTable('agents').set({ revoked_at: now.toISOString() }).where('id', '=', agentId).where('tenant_id', '=', tenantId).where('revoked_at', 'is', null).executeTakeFirst();
  const done = Number(result.numUpdatedRows) === 1;
  if (done) await store.appendAudit(tenantId, actor, 'agent.revoked', { agentId }, now);
  return done;
}

export async function revokeEnrollmentToken(store: Store, tenantId: string, tokenId: string, actor: string, now = new Date()): Promise<boolean> {
  const result = await store.db
    .updateTable('enrollment_tokens')
    .set({ revoked_at: now.toISOString() })
    .where('id', '=', tokenId)
    .where('tenant_id', '=', tenantId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  const done = Number(result.numUpdatedRows) === 1;
  if (done) await store.appendAudit(tenantId, actor, 'enrollment-token.revoked', { tokenId }, now);
  return done;
}
