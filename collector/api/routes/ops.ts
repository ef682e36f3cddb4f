import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { API_PREFIX } from '../../../report/api.js';
import { reportJsonSchema } from '../../../report/json-schema.js';
import { openApiDocument, type RouteInfo } from '../openapi.js';
import type { ApiDeps } from '../server.js';

/** Health, readiness, metrics and the API description. */
export function opsRoutes(app: FastifyInstance, deps: ApiDeps, now: () => Date, routes: readonly RouteInfo[]): void {
  const open = { config: { access: { kind: 'public' as const } } };

  app.get(`${API_PREFIX}/health`, open, async () => ({ status: 'ok', version: deps.version }));

  app.get(`${API_PREFIX}/ready`, open, async (_request, reply) => {
    try {
      await sql`select 1`.execute(deps.store.db);
      return { status: 'ready' };
    } catch (error) {
      return reply.code(503).send({ status: 'not-ready', reason: `databasen svarar inte: ${(error as Error).message}` });
    }
  });

  app.get(`${API_PREFIX}/schema/report`, open, async () => reportJsonSchema());
  app.get(`${API_PREFIX}/openapi.json`, open, async () => openApiDocument(routes, deps.version));

  app.get('/metrics', open, async (_request, reply) => {
    const cutoff = new Date(now().getTime() - deps.silentAfterHours * 3_600_000).toISOString();
    const silent = await deps.store.db
      .selectFrom('agents')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('revoked_at', 'is', null)
      .where((eb) => eb.or([eb('last_seen_at', '<', cutoff), eb('last_seen_at', 'is', null)]))
      .executeTakeFirstOrThrow();
    const outbox = (await deps.outboxDepth?.()) ?? { pending: 0, dead: 0 };
    const text = (deps.metrics ?? undefined)?.render({
      basvakt_agents_silent: { help: 'Agents that have not reported within the silence threshold.', value: Number(silent.n) },
      basvakt_outbox_pending: { help: 'Alerts waiting in the outbox.', value: outbox.pending },
      basvakt_outbox_dead: { help: 'Alerts that could not be delivered after every retry.', value: outbox.dead },
    });
    return reply.type('text/plain; version=0.0.4').send(text ?? '');
  });
}
