import type {} from '@fastify/cookie';
import type { FastifyRequest } from 'fastify';
import { hashSecret } from '../services/secrets.js';
import type { Store } from '../store/index.js';
import type { Grant, Principal } from './roles.js';
import { SESSION_COOKIE } from './sessions.js';

export interface Authenticated {
  principal: Principal;
  /** Set for a browser session: state-changing requests must echo this token. */
  csrfToken?: string;
  sessionCookie?: string;
}

async function withFederations(store: Store, kind: Principal['kind'], id: string, name: string, grants: Grant[]): Promise<Principal> {
  const federationMembers = new Map<string, string[]>();
  for (const g of grants) if (g.scopeKind === 'federation') federationMembers.set(g.scopeId, await store.federations.members(g.scopeId));
  return { kind, id, name, grants, federationMembers };
}

/** Who is calling: a bearer API token, or a browser session cookie. */
export async function authenticate(store: Store, request: FastifyRequest, now: Date): Promise<Authenticated | undefined> {
  const header = request.headers.authorization;
  const bearer = header ? /^Bearer\s+(\S+)$/i.exec(header)?.[1] : undefined;
  if (bearer) {
    const token = await store.findApiToken(hashSecret(bearer));
    if (!token) return undefined;
    const grants: Grant[] = [{ role: 'viewer', scopeKind: 'tenant', scopeId: token.tenant_id }];
    return { principal: await withFederations(store, 'api-token', token.id, token.name ?? token.id, grants) };
  }
  const cookie = request.cookies?.[SESSION_COOKIE];
  if (!cookie) return undefined;
  const session = await store.users.session(hashSecret(cookie), now);
  if (!session) return undefined;
  const user = await store.users.byId(session.user_id);
  if (!user || user.disabled_at) return undefined;
  const principal = await withFederations(store, 'user', user.id, user.username, await store.users.grants(user.id));
  return { principal, csrfToken: session.csrf_token, sessionCookie: cookie };
}
