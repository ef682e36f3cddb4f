import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { API_PREFIX } from '../../../report/api.js';
import { problemsFromZod } from '../../../common/validation.js';
import { createEnrollmentToken, revokeAgent, revokeEnrollmentToken } from '../../services/enrollment.js';
import { auditCsv, presentAudit } from '../../services/audit.js';
import { readableTenants } from '../../auth/roles.js';
import { tenantFindings } from '../../services/findings.js';
import { principalOf } from '../access.js';
import { sendError } from '../errors.js';
import type { ApiDeps } from '../server.js';

const tokenRequest = z.strictObject({ maxUses: z.number().int().min(1).max(10_000).default(1), validForHours: z.number().int().min(1).max(24 * 90).default(24) });

/** Agents and enrollment, the audit trail, and the federation overview. */
export function adminRoutes(app: FastifyInstance, deps: ApiDeps, now: () => Date): void {
  type Params = { Params: { tenant: string; id?: string } };
  const actor = (request: Parameters<typeof principalOf>[0]) => `${principalOf(request).kind}:${principalOf(request).name}`;

  app.post<Params>(`${API_PREFIX}/tenants/:tenant/enrollment-tokens`, { config: { access: { kind: 'tenant', permission: 'agents:manage' } } }, async (request, reply) => {
    const parsed = tokenRequest.safeParse(request.body ?? {});
    if (!parsed.success) return sendError(reply, 422, 'invalid-request', 'Ogiltig begäran (invalid request)', problemsFromZod(parsed.error));
    const created = await createEnrollmentToken(deps.store, { tenantId: request.params.tenant, ...parsed.data, actor: actor(request) }, now());
    return reply.code(201).send(created);
  });

  app.post<Params>(`${API_PREFIX}/tenants/:tenant/enrollment-tokens/:id/revoke`, { config: { access: { kind: 'tenant', permission: 'agents:manage' } } }, async (request, reply) => {
    const done = await revokeEnrollmentToken(deps.store, request.params.tenant, request.params.id ?? '', actor(request), now());
    return done ? { ok: true } : sendError(reply, 404, 'not-found', 'Ingen sådan nyckel (no such token)');
  });

  app.post<Params>(`${API_PREFIX}/tenants/:tenant/agents/:id/revoke`, { config: { access: { kind: 'tenant', permission: 'agents:manage' } } }, async (request, reply) => {
    const done = await revokeAgent(deps.store, request.params.tenant, request.params.id ?? '', actor(request), now());
    return done ? { ok: true } : sendError(reply, 404, 'not-found', 'Ingen sådan agent (no such agent)');
  });

  app.get<Params & { Querystring: { format?: string } }>(`${API_PREFIX}/tenants/:tenant/audit`, { config: { access: { kind: 'tenant', permission: 'audit:read' } } }, async (request, reply) => {
    const rows = await deps.store.listAudit(request.params.tenant);
    if (request.query.format === 'csv') return reply.type('text/csv; charset=utf-8').send(auditCsv(rows));
    return { tenant: request.params.tenant, entries: rows.map(presentAudit) };
  });

  app.get<{ Params: { federation: string } }>(`${API_PREFIX}/federations/:federation/overview`, { config: { access: { kind: 'federation' } } }, async (request, reply) => {
    const federation = await deps.store.federations.get(request.params.federation);
    if (!federation) return sendError(reply, 404, 'not-found', 'Finns inte, eller så saknar du behörighet (not found or not permitted)');
    await deps.beforeRead?.();
    const members = await deps.store.federations.members(federation.id);
    const visible = readableTenants(principalOf(request));
    const tenants = [];
    for (const tenantId of members.filter((t) => !visible || visible.has(t))) {
      const { score, findings } = await tenantFindings(deps.store, tenantId, {}, { now: now(), silentAfterHours: deps.silentAfterHours });
      const byGoal: Record<string, { pass: number; fail: number; unknown: number }> = {};
      for (const f of findings) {
        for (const goal of f.goals) {
          const g = (byGoal[goal] ??= { pass: 0, fail: 0, unknown: 0 });
          if (f.status === 'pass') g.pass++;
          else if (f.status === 'fail') g.fail++;
          else if (f.status === 'unknown') g.unknown++;
        }
      }
      tenants.push({ tenant: tenantId, score, byGoal });
    }
    return { federation: { id: federation.id, name: federation.name }, tenants };
  });
}
