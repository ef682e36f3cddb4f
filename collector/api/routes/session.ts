import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { API_PREFIX } from '../../../report/api.js';
import { problemsFromZod } from '../../../common/validation.js';
import { checkLogin } from '../../auth/login.js';
import { ROLE_LABELS } from '../../auth/roles.js';
import { createSession, endSession, SESSION_COOKIE, SESSION_HOURS } from '../../auth/sessions.js';
import { sendError } from '../errors.js';
import { principalOf } from '../access.js';
import type { ApiDeps } from '../server.js';

const loginSchema = z.strictObject({ username: z.string().min(1).max(128), password: z.string().max(1024) });

/** Browser login with a session cookie; API tokens need none of this. */
export function sessionRoutes(app: FastifyInstance, deps: ApiDeps, now: () => Date): void {
  const cookieOptions = { path: '/', httpOnly: true, sameSite: 'strict' as const, secure: deps.secureCookies };

  app.post(`${API_PREFIX}/login`, { config: { access: { kind: 'public' } } }, async (request, reply) => {
    const parsed = loginSchema.safeParse(request.body);
    if (!parsed.success) return sendError(reply, 422, 'invalid-request', 'Ange användarnamn och lösenord (give username and password)', problemsFromZod(parsed.error));
    const at = now();
    const outcome = await checkLogin(deps.store, { ...parsed.data, remote: request.ip }, deps.ldapLogin, at);
    await deps.store.appendAudit(null, `user:${parsed.data.username}`, outcome.ok ? 'login.succeeded' : `login.${outcome.reason}`, { remote: request.ip }, at);
    if (!outcome.ok) {
      if (outcome.reason === 'throttled') {
        reply.header('retry-after', String(outcome.retryAfterSeconds));
        return sendError(reply, 429, 'throttled', 'För många misslyckade inloggningar; försök igen senare (too many failed logins)');
      }
      return sendError(reply, 401, 'invalid-login', 'Fel användarnamn eller lösenord (wrong username or password)');
    }
    // A cookie the browser already had (possibly planted) is ended, never reused.
    const previous = request.cookies[SESSION_COOKIE];
    if (previous) await endSession(deps.store, previous);
    const session = await createSession(deps.store, outcome.user.id, at);
    reply.setCookie(SESSION_COOKIE, session.cookie, { ...cookieOptions, maxAge: SESSION_HOURS * 3600 });
    return { username: outcome.user.username, displayName: outcome.user.display_name, csrfToken: session.csrfToken, expiresAt: session.expiresAt.toISOString() };
  });

  app.post(`${API_PREFIX}/logout`, { config: { access: { kind: 'authenticated' } } }, async (request, reply) => {
    if (request.auth?.sessionCookie) await endSession(deps.store, request.auth.sessionCookie);
    reply.clearCookie(SESSION_COOKIE, cookieOptions);
    return { ok: true };
  });

  app.get(`${API_PREFIX}/me`, { config: { access: { kind: 'authenticated' } } }, async (request) => {
    const principal = principalOf(request);
    return {
      kind: principal.kind,
      name: principal.name,
      csrfToken: request.auth?.csrfToken ?? null,
      grants: principal.grants.map((g) => ({ ...g, label: ROLE_LABELS[g.role] })),
    };
  });
}
