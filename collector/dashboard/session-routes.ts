import type { FastifyInstance } from 'fastify';
import { checkLogin } from '../auth/login.js';
import { createSession, endSession, SESSION_COOKIE, SESSION_HOURS } from '../auth/sessions.js';
import type { DashboardDeps } from './context.js';
import { pageContext, sendPage } from './context.js';
import { LANG_COOKIE, texts } from './i18n/index.js';
import { loginPage } from './views/start.js';

/** Only a local path: `next` must not send the user to another site after logging in. */
export function safeNext(value: unknown): string {
  return typeof value === 'string' && value.startsWith('/') && !value.startsWith('//') && !value.startsWith('/\\') && value.length < 2000 ? value : '/';
}

function formField(body: unknown, name: string): string {
  const value = body && typeof body === 'object' ? (body as Record<string, unknown>)[name] : undefined;
  return typeof value === 'string' ? value : '';
}

/** The login form and logout for browsers; the same checks and audit as the JSON login. */
export function sessionPages(app: FastifyInstance, deps: DashboardDeps): void {
  const cookieOptions = { path: '/', httpOnly: true, sameSite: 'strict' as const, secure: deps.api.secureCookies };

  app.get<{ Querystring: { next?: string } }>('/login', { config: { access: { kind: 'public' }, page: true } }, async (request, reply) => {
    const ctx = await pageContext(deps, request);
    return sendPage(reply, ctx, ctx.t.login.title, loginPage(ctx.t, safeNext(request.query.next), undefined));
  });

  app.post('/login', { config: { access: { kind: 'public' }, page: true } }, async (request, reply) => {
    const username = formField(request.body, 'username').slice(0, 128);
    const password = formField(request.body, 'password').slice(0, 1024);
    const next = safeNext(formField(request.body, 'next'));
    const lang = formField(request.body, 'lang') === 'en' ? 'en' : 'sv';
    const at = deps.now();
    const outcome = username ? await checkLogin(deps.api.store, { username, password, remote: request.ip }, deps.api.ldapLogin, at) : ({ ok: false, reason: 'invalid' } as const);
    if (username) await deps.api.store.appendAudit(null, `user:${username}`, outcome.ok ? 'login.succeeded' : `login.${outcome.reason}`, { remote: request.ip, via: 'dashboard' }, at);
    if (!outcome.ok) {
      const ctx = await pageContext(deps, request);
      const t = texts(lang);
      const message = outcome.reason === 'throttled' ? t.login.throttled : t.login.failed;
      return sendPage(reply, { ...ctx, t }, t.login.title, loginPage(t, next, message), outcome.reason === 'throttled' ? 429 : 401);
    }
    const previous = request.cookies[SESSION_COOKIE];
    if (previous) await endSession(deps.api.store, previous);
    const session = await createSession(deps.api.store, outcome.user.id, at);
    reply.setCookie(SESSION_COOKIE, session.cookie, { ...cookieOptions, maxAge: SESSION_HOURS * 3600 });
    if (lang === 'en') reply.setCookie(LANG_COOKIE, 'en', { path: '/', sameSite: 'lax', secure: deps.api.secureCookies, maxAge: 365 * 86400 });
    return reply.redirect(next, 303);
  });

  app.post('/logout', { config: { access: { kind: 'authenticated' }, page: true } }, async (request, reply) => {
    if (request.auth?.sessionCookie) await endSession(deps.api.store, request.auth.sessionCookie);
    reply.clearCookie(SESSION_COOKIE, cookieOptions);
    return reply.redirect('/login', 303);
  });
}
