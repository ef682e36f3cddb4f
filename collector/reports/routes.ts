import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { pageContext, sendMessage, sendPage, textsFor, type DashboardDeps } from '../dashboard/context.js';
import { tenantPosture } from '../dashboard/posture.js';
import { failingTrend, ruleCounts } from '../dashboard/queries.js';
import { ASSET_DIR } from '../dashboard/asset-dir.js';
import { presentWaiver } from '../services/waivers.js';
import { tenantFindings } from '../services/findings.js';
import { auditorCsv, auditorFindings } from './auditor.js';
import { assessFrameworks, tenantTallies } from './frameworks.js';
import { canRenderPdf, htmlToPdf } from './pdf.js';
import { isoDay, parsePeriod } from './period.js';
import { summaryDocument, type SummaryInput } from './summary.js';
import { frameworksPage, reportsPage } from './views.js';

type Req = FastifyRequest<{ Params: { tenant: string }; Querystring: { from?: string; to?: string } }>;
const page = { config: { access: { kind: 'tenant' as const, permission: 'findings:read' as const }, page: true } };

/** Reports per tenant and period: the nämnd summary (HTML, PDF), the auditor export, the framework views. */
export function reportRoutes(app: FastifyInstance, deps: DashboardDeps): void {
  const { api, now } = deps;
  const store = api.store;

  async function summaryInput(request: Req, inlineCss: boolean): Promise<SummaryInput | undefined> {
    const tenant = await store.getTenant(request.params.tenant);
    if (!tenant) return undefined;
    await api.beforeRead?.();
    const at = now();
    const period = parsePeriod(request.query, at);
    const rules = await deps.rules.get();
    const [posture, trend, waivers] = await Promise.all([
      tenantPosture(store, tenant.id, rules, at),
      failingTrend(store, tenant.id, period.from, period.to),
      store.waivers.list(tenant.id),
    ]);
    return {
      t: textsFor(request),
      tenant: { id: tenant.id, name: tenant.name },
      period,
      posture,
      trend,
      waivers: waivers.map((w) => presentWaiver(w, at)),
      rules,
      now: at,
      ...(inlineCss ? { inlineCss: await readFile(join(ASSET_DIR, 'basvakt.css'), 'utf8') } : {}),
    };
  }

  const notFound = async (request: FastifyRequest, reply: FastifyReply) => {
    const ctx = await pageContext(deps, request);
    return sendMessage(reply, ctx, 404, ctx.t.notFound);
  };

  app.get<{ Params: { tenant: string }; Querystring: { from?: string; to?: string } }>('/t/:tenant/reports', page, async (request, reply) => {
    const ctx = await pageContext(deps, request, 'reports');
    return sendPage(reply, ctx, ctx.t.reports.title, reportsPage(ctx.t, request.params.tenant, parsePeriod(request.query, now()), canRenderPdf()));
  });

  app.get<{ Params: { tenant: string }; Querystring: { from?: string; to?: string } }>('/t/:tenant/reports/summary', page, async (request, reply) => {
    const input = await summaryInput(request, false);
    if (!input) return notFound(request, reply);
    return reply.type('text/html; charset=utf-8').header('cache-control', 'no-store').send(summaryDocument(input).text);
  });

  app.get<{ Params: { tenant: string }; Querystring: { from?: string; to?: string } }>('/t/:tenant/reports/summary.pdf', page, async (request, reply) => {
    const input = await summaryInput(request, true);
    if (!input) return notFound(request, reply);
    if (!canRenderPdf()) {
      const ctx = await pageContext(deps, request, 'reports');
      return sendMessage(reply, ctx, 503, ctx.t.reports.pdfUnavailable, `/t/${request.params.tenant}/reports`);
    }
    const pdf = await htmlToPdf(summaryDocument(input).text);
    const name = `basvakt-${input.tenant.id}-${isoDay(input.period.from)}-${isoDay(input.period.to)}.pdf`;
    return reply.type('application/pdf').header('content-disposition', `attachment; filename="${name}"`).header('cache-control', 'no-store').send(pdf);
  });

  async function auditorData(request: Req) {
    const tenant = await store.getTenant(request.params.tenant);
    if (!tenant) return undefined;
    await api.beforeRead?.();
    const at = now();
    const rules = await deps.rules.get();
    const { findings, score } = await tenantFindings(store, tenant.id, {}, { now: at, silentAfterHours: api.silentAfterHours });
    return { tenant, at, period: parsePeriod(request.query, at), score, findings: auditorFindings(findings, rules, deps.rules.frameworks()), waivers: (await store.waivers.list(tenant.id)).map((w) => presentWaiver(w, at)) };
  }

  app.get<{ Params: { tenant: string }; Querystring: { from?: string; to?: string } }>('/t/:tenant/reports/auditor.json', page, async (request, reply) => {
    const data = await auditorData(request);
    if (!data) return notFound(request, reply);
    const body = {
      tenant: { id: data.tenant.id, name: data.tenant.name },
      generatedAt: data.at.toISOString(),
      period: { from: isoDay(data.period.from), to: isoDay(data.period.to) },
      score: data.score,
      findings: data.findings,
      waivers: data.waivers,
    };
    return reply.type('application/json; charset=utf-8').header('content-disposition', `attachment; filename="basvakt-${data.tenant.id}-revision.json"`).send(JSON.stringify(body, null, 2));
  });

  app.get<{ Params: { tenant: string }; Querystring: { from?: string; to?: string } }>('/t/:tenant/reports/auditor.csv', page, async (request, reply) => {
    const data = await auditorData(request);
    if (!data) return notFound(request, reply);
    return reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="basvakt-${data.tenant.id}-revision.csv"`).send(auditorCsv(data.findings));
  });

  app.get<{ Params: { tenant: string } }>('/t/:tenant/reports/frameworks', page, async (request, reply) => {
    const ctx = await pageContext(deps, request, 'reports');
    if (!ctx.tenant) return sendMessage(reply, ctx, 404, ctx.t.notFound);
    await api.beforeRead?.();
    const rules = await deps.rules.get();
    const counts = await ruleCounts(store, ctx.tenant.id, now());
    return sendPage(reply, ctx, ctx.t.frameworks.title, frameworksPage(ctx.t, assessFrameworks(deps.rules.frameworks(), rules, tenantTallies(counts))));
  });
}
