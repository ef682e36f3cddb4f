import type { Store, StoredAgent } from '../store/index.js';
import { hashSecret, secretMatches } from './secrets.js';

export type Caller =
  | { kind: 'agent'; tenantId: string; agent: StoredAgent }
  | { kind: 'api'; tenantId: string; role: string; tokenId: string };

function bearer(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  return match?.[1];
}

/** Resolves an agent credential `<agentId>.<secret>`; undefined when it does not hold. */
export async function authenticateAgent(store: Store, authorization: string | undefined): Promise<Caller | undefined> {
  const token = bearer(authorization);
  if (!token) return undefined;
  const dot = token.indexOf('.');
  if (dot <= 0) return undefined;
  const agent = await store.getAgent(token.slice(0, dot));
  if (!agent || agent.revoked_at) return undefined;
  if (!secretMatches(token.slice(dot + 1), agent.secret_hash)) return undefined;
  return { kind: 'agent', tenantId: agent.tenant_id, agent };
}

export async function authenticateApiToken(store: Store, authorization: string | undefined): Promise<Caller | undefined> {
  const token = bearer(authorization);
  if (!token) return undefined;
  const row = await store.findApiToken(hashSecret(token));
  return row ? { kind: 'api', tenantId: row.tenant_id, role: row.role, tokenId: row.id } : undefined;
}
