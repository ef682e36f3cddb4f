import type { FastifyReply, FastifyRequest } from 'fastify';
import { readableTenants } from '../auth/roles.js';
import type { ApiDeps } from '../api/server.js';
import type { Html } from './html.js';
import { langOf, texts, type Texts } from './i18n/index.js';
import type { RuleCatalogue } from './rules.js';
import { layout, type PageContext } from './views/layout.js';
import { messagePage } from './views/start.js';

export interface DashboardDeps {
  api: ApiDeps;
  now: () => Date;
  rules: RuleCatalogue;
}

export function textsFor(request: FastifyRequest): Texts {
  return texts(langOf(request));
}

/** The page frame's facts about this request: language, user, tenant. */
export async function pageContext(deps: DashboardDeps, request: FastifyRequest, section?: PageContext['section']): Promise<PageContext> {
  const t = textsFor(request);
  const auth = request.auth;
  const tenantId = (request.params as Record<string, string | undefined>).tenant;
  const tenant = tenantId ? await deps.api.store.getTenant(tenantId) : undefined;
  return {
    t,
    url: request.url,
    ...(auth ? { user: { name: auth.principal.name, csrfToken: auth.csrfToken ?? null } } : {}),
    ...(tenant ? { tenant: { id: tenant.id, name: tenant.name } } : {}),
    ...(section ? { section } : {}),
  };
}

export function sendPage(reply: FastifyReply, ctx: PageContext, title: string, body: Html, status = 200): FastifyReply {
  return reply
    .code(status)
    .type('text/html; charset=utf-8')
    .header('cache-control', 'no-store')
    .header('x-content-type-options', 'nosniff')
    .header('content-security-policy', "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'; form-action 'self'")
    .send(layout(ctx, title, body).text);
}

export function sendMessage(reply: FastifyReply, ctx: PageContext, status: number, message: string, back?: string): FastifyReply {
  return sendPage(reply, ctx, message, messagePage(ctx.t, message, back), status);
}

/** Tenants the caller may read, with names, in the store's order. */
export async function visibleTenants(deps: DashboardDeps, request: FastifyRequest): Promise<{ id: string; name: string }[]> {
  if (!request.auth) return [];
  const visible = readableTenants(request.auth.principal);
  return (await deps.api.store.listTenants()).filter((t) => !visible || visible.has(t.id)).map((t) => ({ id: t.id, name: t.name }));
}
