import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import formbody from '@fastify/formbody';
import type { FastifyInstance } from 'fastify';
import { ASSET_DIR } from './asset-dir.js';
import type { ApiDeps } from '../api/server.js';
import { canOnTenant, readableTenants } from '../auth/roles.js';
import { presentAudit } from '../services/audit.js';
import { silentTargets, tenantFindings } from '../services/findings.js';
import { grantWaiver, presentWaiver, WaiverError, waiverRequestSchema } from '../services/waivers.js';
import { targetKey } from '../lifecycle/view.js';
import type { RuleSet } from '../../rules/engine/index.js';
import { reportRoutes } from '../reports/routes.js';
import { catalogueRoutes } from './catalogue-routes.js';
import { pageContext, sendMessage, sendPage, visibleTenants, type DashboardDeps } from './context.js';
import { join as joinHtml } from './html.js';
import { LANG_COOKIE } from './i18n/index.js';
import { identityNumbers } from './identity.js';
import { tenantPosture, SEVERITY_RANK } from './posture.js';
import { failingByTarget, failingTrend, findingHistory, targetFacts } from './queries.js';
import { RuleCatalogue } from './rules.js';
import { sessionPages, safeNext } from './session-routes.js';
import { agentsPage, auditPage, settingsPage, waiversPage } from './views/admin.js';
import { federationPage } from './views/federation.js';
import { findingPage } from './views/finding.js';
import { findingsPage, type FindingListQuery } from './views/findings.js';
import { overviewPage } from './views/overview.js';
import { findingHref } from './views/parts.js';
import { messagePage, startPage } from './views/start.js';
import { layout } from './views/layout.js';
import { targetPage, targetsPage } from './views/targets.js';
import { ruleSettingsHtml, tenantSettingsPages } from './tenant-settings-routes.js';

const ASSETS: Record<string, string> = { 'basvakt.css': 'text/css; charset=utf-8', 'basvakt.js': 'text/javascript; charset=utf-8' };
const SHOWN_FINDINGS = 500;

type TenantParams = { Params: { tenant: string } };
const page = (permission: 'findings:read' | 'waivers:write' | 'audit:read') => ({ config: { access: { kind: 'tenant' as const, permission }, page: true } });

function str(value: unknown, max = 200): string | undefined {
  return typeof value === 'string' && value.length > 0 && value.length <= max ? value : undefined;
}

/** The dashboard: server-rendered pages in Swedish (English with ?lang=en), in its own scope so forms parse only here. */
export function dashboardRoutes(app: FastifyInstance, api: ApiDeps & { ruleSet?: RuleSet }, now: () => Date): void {
  const deps: DashboardDeps = { api, now, rules: new RuleCatalogue(api.ruleSet) };
  void app.register(async (scope) => {
    await scope.register(formbody, { bodyLimit: 64 * 1024 });
    scope.addHook('onRequest', async (request, reply) => {
      const lang = (request.query as Record<string, unknown> | undefined)?.lang;
      if (lang === 'en' || lang === 'sv') reply.setCookie(LANG_COOKIE, lang, { path: '/', sameSite: 'lax', secure: api.secureCookies, maxAge: 365 * 86400 });
    });
    // Denials and errors come from shared code as JSON; a person in a browser gets a page instead.
    scope.addHook('onSend', async (request, reply, payload) => {
      const type = String(reply.getHeader('content-type') ?? '');
      if (!request.routeOptions.config?.page || !type.startsWith('application/json') || reply.statusCode < 400) return payload;
      const ctx = await pageContext(deps, request);
      const message = reply.statusCode === 403 ? ctx.t.forbidden : reply.statusCode < 500 ? ctx.t.notFound : ctx.t.serverError;
      reply.type('text/html; charset=utf-8');
      return layout(ctx, message, messagePage(ctx.t, message)).text;
    });
    sessionPages(scope, deps);
    pages(scope, deps);
    tenantSettingsPages(scope, deps);
    reportRoutes(scope, deps);
    catalogueRoutes(scope, deps);
  });
}

function pages(app: FastifyInstance, deps: DashboardDeps): void {
  const { api, now } = deps;
  const store = api.store;
  const options = () => ({ now: now(), silentAfterHours: api.silentAfterHours });

  app.get<{ Params: { name: string } }>('/assets/:name', { config: { access: { kind: 'public' } } }, async (request, reply) => {
    const type = ASSETS[request.params.name];
    if (!type) return reply.code(404).type('text/plain; charset=utf-8').send('not found');
    return reply.type(type).header('cache-control', 'public, max-age=3600').send(await readFile(join(ASSET_DIR, request.params.name)));
  });

  app.get('/', { config: { access: { kind: 'authenticated' }, page: true } }, async (request, reply) => {
    const ctx = await pageContext(deps, request, 'start');
    const tenants = await visibleTenants(deps, request);
    const principal = request.auth!.principal;
    const all = readableTenants(principal) === undefined;
    const federations = (await store.federations.list()).filter((f) => all || principal.grants.some((g) => g.scopeKind === 'federation' && g.scopeId === f.id));
    if (tenants.length === 1 && federations.length === 0) return reply.redirect(`/t/${encodeURIComponent(tenants[0]!.id)}`, 303);
    return sendPage(reply, ctx, ctx.t.start.title, startPage(ctx.t, tenants, federations.map((f) => ({ id: f.id, name: f.name }))));
  });

  app.get<TenantParams>('/t/:tenant', page('findings:read'), async (request, reply) => {
    const ctx = await pageContext(deps, request, 'overview');
    if (!ctx.tenant) return sendMessage(reply, ctx, 404, ctx.t.notFound);
    await api.beforeRead?.();
    const at = now();
    const rules = await deps.rules.get();
    const [posture, trend, identity] = await Promise.all([
      tenantPosture(store, ctx.tenant.id, rules, at),
      failingTrend(store, ctx.tenant.id, new Date(at.getTime() - 29 * 86_400_000), at),
      identityNumbers(store, ctx.tenant.id),
    ]);
    return sendPage(reply, ctx, ctx.t.nav.overview, overviewPage({ t: ctx.t, tenant: ctx.tenant, posture, trend, rules, identity }));
  });

  app.get<TenantParams & { Querystring: Record<string, unknown> }>('/t/:tenant/findings', page('findings:read'), async (request, reply) => {
    const ctx = await pageContext(deps, request, 'findings');
    if (!ctx.tenant) return sendMessage(reply, ctx, 404, ctx.t.notFound);
    const q = request.query;
    // Choosing another kommun in the filter moves to its page, where access is checked again.
    const other = str(q.tenant, 64);
    if (other && other !== ctx.tenant.id) {
      const params = new URLSearchParams(Object.entries(q).filter((e): e is [string, string] => typeof e[1] === 'string' && e[0] !== 'tenant'));
      return reply.redirect(`/t/${encodeURIComponent(other)}/findings?${params.toString()}`, 303);
    }
    const query: FindingListQuery = {
      goal: str(q.goal, 32),
      severity: str(q.severity, 32),
      // No status in the address means the failing ones; an empty one means all.
      status: q.status === undefined ? 'fail' : str(q.status, 32),
      kind: str(q.kind, 32),
      rule: str(q.rule, 64),
      q: str(q.q, 200),
    };
    await api.beforeRead?.();
    const { findings } = await tenantFindings(
      store,
      ctx.tenant.id,
      { goal: query.goal, severity: query.severity ? [query.severity] : undefined, targetKind: query.kind, ruleIds: query.rule ? [query.rule] : undefined },
      options(),
    );
    const rules = await deps.rules.get();
    const needle = query.q?.toLocaleLowerCase('sv');
    const matching = findings
      .filter((f) => !query.status || f.effectiveStatus === query.status)
      .filter((f) => !needle || [f.targetName, f.targetId, f.ruleId, rules.allById.get(f.ruleId)?.title[ctx.t.lang] ?? ''].some((s) => s.toLocaleLowerCase('sv').includes(needle)))
      .sort((a, b) => (SEVERITY_RANK[a.severity] ?? 9) - (SEVERITY_RANK[b.severity] ?? 9) || a.ruleId.localeCompare(b.ruleId) || a.targetName.localeCompare(b.targetName));
    const tenants = await visibleTenants(deps, request);
    return sendPage(reply, ctx, ctx.t.findings.title, findingsPage({ t: ctx.t, tenant: ctx.tenant, tenants, query, findings: matching.slice(0, SHOWN_FINDINGS), total: matching.length, rules }));
  });

  type FindingParams = { Params: { tenant: string; rule: string; kind: string; id: string }; Querystring: { waiver?: string } };
  app.get<FindingParams>('/t/:tenant/findings/:rule/:kind/:id', page('findings:read'), async (request, reply) => {
    const ctx = await pageContext(deps, request, 'findings');
    const { rule: ruleId, kind, id } = request.params;
    if (!ctx.tenant) return sendMessage(reply, ctx, 404, ctx.t.notFound);
    await api.beforeRead?.();
    const { findings } = await tenantFindings(store, ctx.tenant.id, { ruleIds: [ruleId], targetKind: kind, targetId: id }, options());
    const finding = findings[0];
    if (!finding) return sendMessage(reply, ctx, 404, ctx.t.finding.notFound, `/t/${ctx.tenant.id}/findings`);
    const [rules, history] = await Promise.all([deps.rules.get(), findingHistory(store, ctx.tenant.id, ruleId, kind, id)]);
    return sendPage(
      reply,
      ctx,
      finding.targetName,
      findingPage({
        t: ctx.t,
        tenantId: ctx.tenant.id,
        finding,
        rule: rules.allById.get(ruleId),
        history,
        canWaive: canOnTenant(request.auth!.principal, 'waivers:write', ctx.tenant.id),
        csrfToken: request.auth!.csrfToken ?? null,
        ...(request.query.waiver === 'granted' ? { notice: ctx.t.finding.waiverGranted } : {}),
        today: now(),
      }),
    );
  });

  app.post<TenantParams>('/t/:tenant/waivers', page('waivers:write'), async (request, reply) => {
    const ctx = await pageContext(deps, request, 'waivers');
    const body = (request.body && typeof request.body === 'object' ? request.body : {}) as Record<string, unknown>;
    const date = str(body.expiresAt, 10);
    const perTarget = body.scope !== 'rule';
    const parsed = waiverRequestSchema.safeParse({
      ruleId: body.ruleId,
      ...(perTarget && str(body.targetKind) ? { targetKind: body.targetKind, targetId: body.targetId } : {}),
      reason: typeof body.reason === 'string' ? body.reason.trim() : body.reason,
      riskOwner: typeof body.riskOwner === 'string' ? body.riskOwner.trim() : body.riskOwner,
      expiresAt: date && /^\d{4}-\d{2}-\d{2}$/.test(date) ? `${date}T23:59:59Z` : body.expiresAt,
    });
    const back = typeof body.ruleId === 'string' && typeof body.targetKind === 'string' && typeof body.targetId === 'string' ? findingHref(request.params.tenant, body.ruleId, body.targetKind, body.targetId) : `/t/${request.params.tenant}/waivers`;
    if (!parsed.success) return sendMessage(reply, ctx, 422, parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '), back);
    try {
      await grantWaiver(store, request.params.tenant, parsed.data, `${request.auth!.principal.kind}:${request.auth!.principal.name}`, now());
    } catch (error) {
      if (error instanceof WaiverError) return sendMessage(reply, ctx, 422, error.message, back);
      throw error;
    }
    return reply.redirect(`${safeNext(back)}?waiver=granted`, 303);
  });

  app.get<TenantParams>('/t/:tenant/targets', page('findings:read'), async (request, reply) => {
    const ctx = await pageContext(deps, request, 'targets');
    if (!ctx.tenant) return sendMessage(reply, ctx, 404, ctx.t.notFound);
    const [targets, failing, silent] = await Promise.all([store.listTargets(ctx.tenant.id), failingByTarget(store, ctx.tenant.id), silentTargets(store, ctx.tenant.id, options())]);
    const rows = targets
      .map((x) => ({ kind: x.kind, id: x.id, name: x.name, agentId: x.agent_id, lastSeenAt: x.last_seen_at, failing: failing.get(`${x.kind}/${x.id}`) ?? 0, silent: silent.has(targetKey(x.kind, x.id)) }))
      .sort((a, b) => b.failing - a.failing || a.name.localeCompare(b.name));
    return sendPage(reply, ctx, ctx.t.targets.title, targetsPage(ctx.t, ctx.tenant.id, rows));
  });

  app.get<{ Params: { tenant: string; kind: string; id: string } }>('/t/:tenant/targets/:kind/:id', page('findings:read'), async (request, reply) => {
    const ctx = await pageContext(deps, request, 'targets');
    if (!ctx.tenant) return sendMessage(reply, ctx, 404, ctx.t.notFound);
    const target = (await store.listTargets(ctx.tenant.id)).find((x) => x.kind === request.params.kind && x.id === request.params.id);
    if (!target) return sendMessage(reply, ctx, 404, ctx.t.notFound, `/t/${ctx.tenant.id}/targets`);
    const facts = await targetFacts(store, ctx.tenant.id, target.kind, target.id);
    return sendPage(reply, ctx, target.name, targetPage(ctx.t, ctx.tenant.id, { kind: target.kind, id: target.id, name: target.name, lastSeenAt: target.last_seen_at }, facts));
  });

  app.get<TenantParams>('/t/:tenant/agents', page('findings:read'), async (request, reply) => {
    const ctx = await pageContext(deps, request, 'agents');
    const agents = (await store.listAgents(request.params.tenant)).map((a) => ({ id: a.id, hostname: a.hostname, version: a.version, enrolledAt: a.enrolled_at, lastSeenAt: a.last_seen_at, revoked: a.revoked_at !== null }));
    return sendPage(reply, ctx, ctx.t.agents.title, agentsPage(ctx.t, agents, api.silentAfterHours, now()));
  });

  app.get<TenantParams & { Querystring: { revoked?: string } }>('/t/:tenant/waivers', page('findings:read'), async (request, reply) => {
    const ctx = await pageContext(deps, request, 'waivers');
    const at = now();
    const waivers = (await store.waivers.list(request.params.tenant)).map((w) => presentWaiver(w, at));
    const actions = canOnTenant(request.auth!.principal, 'waivers:write', request.params.tenant) ? { tenantId: request.params.tenant, csrfToken: request.auth!.csrfToken ?? null } : undefined;
    return sendPage(reply, ctx, ctx.t.waivers.title, waiversPage(ctx.t, waivers, await deps.rules.get(), actions, request.query.revoked === '1' ? ctx.t.waivers.revoked : undefined));
  });

  app.post<{ Params: { tenant: string; id: string } }>('/t/:tenant/waivers/:id/revoke', page('waivers:write'), async (request, reply) => {
    const at = now();
    const done = await store.waivers.revoke(request.params.tenant, request.params.id, at);
    if (!done) {
      const ctx = await pageContext(deps, request, 'waivers');
      return sendMessage(reply, ctx, 404, ctx.t.notFound, `/t/${request.params.tenant}/waivers`);
    }
    await store.appendAudit(request.params.tenant, `${request.auth!.principal.kind}:${request.auth!.principal.name}`, 'waiver.revoked', { waiverId: request.params.id }, at);
    return reply.redirect(`/t/${encodeURIComponent(request.params.tenant)}/waivers?revoked=1`, 303);
  });

  app.get<TenantParams>('/t/:tenant/audit', page('audit:read'), async (request, reply) => {
    const ctx = await pageContext(deps, request, 'audit');
    const entries = (await store.listAudit(request.params.tenant)).map(presentAudit).slice(-1000).reverse();
    return sendPage(reply, ctx, ctx.t.audit.title, auditPage(ctx.t, request.params.tenant, entries));
  });

  app.get<TenantParams>('/t/:tenant/settings', page('findings:read'), async (request, reply) => {
    const ctx = await pageContext(deps, request, 'settings');
    const principal = request.auth!.principal;
    const ruleSettings = await ruleSettingsHtml(deps, request, ctx.t, request.params.tenant);
    return sendPage(reply, ctx, ctx.t.settings.title, joinHtml([settingsPage(ctx.t, request.url, { name: principal.name, grants: principal.grants }, api.silentAfterHours, api.version), ruleSettings]));
  });

  app.get<{ Params: { federation: string } }>('/f/:federation', { config: { access: { kind: 'federation' }, page: true } }, async (request, reply) => {
    const ctx = await pageContext(deps, request, 'federation');
    const federation = await store.federations.get(request.params.federation);
    if (!federation) return sendMessage(reply, ctx, 404, ctx.t.notFound);
    await api.beforeRead?.();
    const visible = readableTenants(request.auth!.principal);
    const rules = await deps.rules.get();
    const at = now();
    const members = [];
    for (const tenantId of (await store.federations.members(federation.id)).filter((id) => !visible || visible.has(id))) {
      const tenant = await store.getTenant(tenantId);
      members.push({ tenant: { id: tenantId, name: tenant?.name ?? tenantId }, posture: await tenantPosture(store, tenantId, rules, at) });
    }
    return sendPage(reply, ctx, ctx.t.federation.title(federation.name), federationPage(ctx.t, { id: federation.id, name: federation.name }, members));
  });
}

