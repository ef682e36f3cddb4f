import type { FastifyInstance } from 'fastify';
import { API_PREFIX } from '../../../report/api.js';
import { readableTenants } from '../../auth/roles.js';
import { tenantFindings } from '../../services/findings.js';
import { principalOf } from '../access.js';
import { sendError } from '../errors.js';
import { parseFindingQuery } from '../findings.js';
import type { ApiDeps } from '../server.js';

/** Reading a tenant's state: findings, targets, agents, history, score. */
export function tenantRoutes(app: FastifyInstance, deps: ApiDeps, now: () => Date): void {
  const read = { config: { access: { kind: 'tenant' as const, permission: 'findings:read' as const } } };
  const options = () => ({ now: now(), silentAfterHours: deps.silentAfterHours });

  app.get(`${API_PREFIX}/tenants`, { config: { access: { kind: 'authenticated' } } }, async (request) => {
    const visible = readableTenants(principalOf(request));
    const tenants = await deps.store.listTenants();
    return { tenants: tenants.filter((t) => !visible || visible.has(t.id)).map((t) => ({ id: t.id, name: t.name })) };
  });

  app.get<{ Params: { tenant: string } }>(`${API_PREFIX}/tenants/:tenant/findings`, read, async (request, reply) => {
    const query = parseFindingQuery(request.query);
    if (!query.ok) return sendError(reply, 400, 'invalid-query', 'Ogiltig fråga (invalid query)', query.problems);
    await deps.beforeRead?.();
    return { tenant: request.params.tenant, ...(await tenantFindings(deps.store, request.params.tenant, query.filter, options())) };
  });

  app.get<{ Params: { tenant: string } }>(`${API_PREFIX}/tenants/:tenant/score`, read, async (request) => {
    await deps.beforeRead?.();
    const { score } = await tenantFindings(deps.store, request.params.tenant, {}, options());
    return { tenant: request.params.tenant, score };
  });

  app.get<{ Params: { tenant: string } }>(`${API_PREFIX}/tenants/:tenant/targets`, read, async (request) => {
    const targets = await deps.store.listTargets(request.params.tenant);
    return { tenant: request.params.tenant, targets: targets.map((t) => ({ kind: t.kind, id: t.id, name: t.name, agentId: t.agent_id, lastSeenAt: t.last_seen_at })) };
  });

  app.get<{ Params: { tenant: string } }>(`${API_PREFIX}/tenants/:tenant/agents`, read, async (request) => {
    const agents = await deps.store.listAgents(request.params.tenant);
    return {
      tenant: request.params.tenant,
      agents: agents.map((a) => ({ id: a.id, hostname: a.hostname, version: a.version, enrolledAt: a.enrolled_at, lastSeenAt: a.last_seen_at, revoked: a.revoked_at !== null })),
    };
  });

  app.get<{ Params: { tenant: string }; Querystring: { limit?: string } }>(`${API_PREFIX}/tenants/:tenant/history`, read, async (request) => {
    const limit = Math.min(Math.max(Number(request.query.limit ?? 500) || 500, 1), 5000);
    const events = await deps.store.db
      .selectFrom('finding_events')
      .selectAll()
      .where('tenant_id', '=', request.params.tenant)
      .orderBy('id', 'desc')
      .limit(limit)
      .execute();
    return {
      tenant: request.params.tenant,
      events: events.map((e) => ({ ruleId: e.rule_id, targetKind: e.target_kind, targetId: e.target_id, kind: e.kind, from: e.from_status, to: e.to_status, at: e.at, reportId: e.report_id })),
    };
  });

  // For automation with an API token: the token's own tenant, without naming it.
  app.get(`${API_PREFIX}/findings`, { config: { access: { kind: 'authenticated' } } }, async (request, reply) => {
    const principal = principalOf(request);
    const tenant = principal.kind === 'api-token' ? principal.grants[0]?.scopeId : undefined;
    if (!tenant) return sendError(reply, 400, 'tenant-required', 'Ange organisationen: /api/v1/tenants/{id}/findings (use the tenant route)');
    const query = parseFindingQuery(request.query);
    if (!query.ok) return sendError(reply, 400, 'invalid-query', 'Ogiltig fråga (invalid query)', query.problems);
    await deps.beforeRead?.();
    return { tenant, ...(await tenantFindings(deps.store, tenant, query.filter, options())) };
  });
}
