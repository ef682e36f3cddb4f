import type { FastifyInstance } from 'fastify';
import { ruleCatalogue } from '../../rules/frameworks/catalogue.js';
import { pageContext, sendMessage, sendPage, type DashboardDeps } from './context.js';
import { cataloguePage, rulePage } from './views/catalogue.js';

const page = { config: { access: { kind: 'authenticated' as const }, page: true } };

/** The Regelkatalog: the collector's rule packs (bundled and the kommun's own) for anyone logged in. */
export function catalogueRoutes(app: FastifyInstance, deps: DashboardDeps): void {
  const catalogue = async () => ruleCatalogue(await deps.rules.get(), deps.rules.frameworks());

  app.get('/regler', page, async (request, reply) => {
    const ctx = await pageContext(deps, request, 'catalogue');
    return sendPage(reply, ctx, ctx.t.catalogue.title, cataloguePage(ctx.t, await catalogue()));
  });

  app.get<{ Params: { id: string } }>('/regler/:id', page, async (request, reply) => {
    const ctx = await pageContext(deps, request, 'catalogue');
    const entry = (await catalogue()).groups.flatMap((g) => g.entries).find((e) => e.id === request.params.id);
    if (!entry) return sendMessage(reply, ctx, 404, ctx.t.catalogue.notFound, `/regler?lang=${ctx.t.lang}`);
    return sendPage(reply, ctx, `${entry.id} ${entry.title[ctx.t.lang]}`, rulePage(ctx.t, entry));
  });
}
