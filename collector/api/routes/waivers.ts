import type { FastifyInstance } from 'fastify';
import { API_PREFIX } from '../../../report/api.js';
import { problemsFromZod } from '../../../common/validation.js';
import { grantWaiver, presentWaiver, WaiverError, waiverRequestSchema } from '../../services/waivers.js';
import { principalOf } from '../access.js';
import { sendError } from '../errors.js';
import type { ApiDeps } from '../server.js';

export function waiverRoutes(app: FastifyInstance, deps: ApiDeps, now: () => Date): void {
  type Params = { Params: { tenant: string; id?: string } };

  app.get<Params>(`${API_PREFIX}/tenants/:tenant/waivers`, { config: { access: { kind: 'tenant', permission: 'findings:read' } } }, async (request) => {
    const at = now();
    return { tenant: request.params.tenant, waivers: (await deps.store.waivers.list(request.params.tenant)).map((w) => presentWaiver(w, at)) };
  });

  app.post<Params>(`${API_PREFIX}/tenants/:tenant/waivers`, { config: { access: { kind: 'tenant', permission: 'waivers:write' } } }, async (request, reply) => {
    const parsed = waiverRequestSchema.safeParse(request.body);
    if (!parsed.success) return sendError(reply, 422, 'invalid-waiver', 'Ogiltigt undantag (invalid waiver)', problemsFromZod(parsed.error));
    try {
      const waiver = await grantWaiver(deps.store, request.params.tenant, parsed.data, `${principalOf(request).kind}:${principalOf(request).name}`, now());
      return reply.code(201).send(presentWaiver(waiver, now()));
    } catch (error) {
      if (error instanceof WaiverError) return sendError(reply, 422, 'invalid-waiver', error.message);
      throw error;
    }
  });

  app.post<Params>(`${API_PREFIX}/tenants/:tenant/waivers/:id/revoke`, { config: { access: { kind: 'tenant', permission: 'waivers:write' } } }, async (request, reply) => {
    const at = now();
    const done = await deps.store.waivers.revoke(request.params.tenant, request.params.id ?? '', at);
    if (!done) return sendError(reply, 404, 'not-found', 'Inget aktivt undantag med det id:t (no such active waiver)');
    await deps.store.appendAudit(request.params.tenant, `${principalOf(request).kind}:${principalOf(request).name}`, 'waiver.revoked', { waiverId: request.params.id }, at);
    return { ok: true };
  });
}
