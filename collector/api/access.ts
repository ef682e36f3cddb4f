import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Authenticated } from '../auth/principal.js';
import { authenticate } from '../auth/principal.js';
import { canOnTenant, isAdmin, type Permission } from '../auth/roles.js';
import type { Store } from '../store/index.js';
import { sendError } from './errors.js';

/**
 * Who may call a route. Every route declares one; the server refuses to start with a
 * route that does not, so a new route cannot be left open by accident.
 */
export type Access =
  | { kind: 'public' }
  /** Authenticated by the agent credential inside the handler. */
  | { kind: 'agent' }
  /** Any logged-in user or API token; the handler shows only what the caller may read. */
  | { kind: 'authenticated' }
  /** The `:tenant` route parameter must be a tenant the caller holds this permission on. */
  | { kind: 'tenant'; permission: Permission }
  /** The `:federation` route parameter must be a federation the caller has a grant on. */
  | { kind: 'federation' }
  | { kind: 'admin' };

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access;
    /** An HTML page: without a login the browser is sent to /login instead of a 401. */
    page?: boolean;
  }
  interface FastifyRequest {
    auth?: Authenticated;
  }
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

function formCsrf(body: unknown): string | undefined {
  const value = body && typeof body === 'object' ? (body as Record<string, unknown>)._csrf : undefined;
  return typeof value === 'string' ? value : undefined;
}

function deny(reply: FastifyReply, lang: 'sv' = 'sv'): FastifyReply {
  void lang;
  // 404 rather than 403: a caller learns nothing about tenants that are not theirs.
  return sendError(reply, 404, 'not-found', 'Finns inte, eller så saknar du behörighet (not found or not permitted)');
}

export function registerAccessControl(app: FastifyInstance, store: Store, now: () => Date): void {
  app.addHook('onRoute', (route) => {
    if (!route.config?.access) throw new Error(`route ${route.method} ${route.url} declares no access rule`);
  });

  app.addHook('preHandler', async (request: FastifyRequest, reply: FastifyReply) => {
    const access = request.routeOptions.config.access;
    if (!access) return deny(reply);
    if (access.kind === 'public' || access.kind === 'agent') return;
    const auth = await authenticate(store, request, now());
    if (!auth) {
      if (request.routeOptions.config.page && SAFE_METHODS.has(request.method)) return reply.redirect(`/login?next=${encodeURIComponent(request.url)}`, 303);
      return sendError(reply, 401, 'unauthenticated', 'Logga in eller ange en API-nyckel (log in or give an API token)');
    }
    // HTML forms cannot set headers, so the dashboard's forms send the token as a `_csrf` field.
    const sentCsrf = request.headers['x-csrf-token'] ?? (request.routeOptions.config.page ? formCsrf(request.body) : undefined);
    if (auth.csrfToken && !SAFE_METHODS.has(request.method) && sentCsrf !== auth.csrfToken) {
      return sendError(reply, 403, 'csrf', 'CSRF-skyddet saknas eller stämmer inte: skicka X-CSRF-Token (missing or wrong CSRF token)');
    }
    request.auth = auth;
    const params = request.params as Record<string, string | undefined>;
    switch (access.kind) {
      case 'authenticated':
        return;
      case 'admin':
        return isAdmin(auth.principal) ? undefined : deny(reply);
      case 'tenant':
        return params.tenant && canOnTenant(auth.principal, access.permission, params.tenant) ? undefined : deny(reply);
      case 'federation': {
        const ok = isAdmin(auth.principal) || auth.principal.grants.some((g) => g.scopeKind === 'federation' && g.scopeId === params.federation);
        return ok ? undefined : deny(reply);
      }
    }
  });
}

export function principalOf(request: FastifyRequest): Authenticated['principal'] {
  if (!request.auth) throw new Error('route reached without authentication');
  return request.auth.principal;
}
