import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Permission } from '../auth/roles.js';
import { canOnTenant } from '../auth/roles.js';
import { attestControl, listControls } from '../services/attestations.js';
import { paramsFromText, setNetworkModel, setRuleSetting, settingsOverview, SettingsError, type SettingsContext } from '../services/tenant-settings.js';
import { tenantSettingsStore } from '../store/tenant-settings.js';
import type { Html } from './html.js';
import type { Texts } from './i18n/index.js';
import { pageContext, sendMessage, sendPage, type DashboardDeps } from './context.js';
import { settingsTexts } from './i18n/tenant-settings.js';
import { controlsPage, refusedPage, ruleSettingsSection, type FormAccess } from './views/tenant-settings.js';

type TenantParams = { Params: { tenant: string } };
const page = (permission: Permission) => ({ config: { access: { kind: 'tenant' as const, permission }, page: true } });

function field(body: unknown, name: string): string | undefined {
  const value = body && typeof body === 'object' ? (body as Record<string, unknown>)[name] : undefined;
  return typeof value === 'string' ? value : undefined;
}

function formAccess(request: FastifyRequest, permission: Permission, tenantId: string): FormAccess | undefined {
  const auth = request.auth!;
  return canOnTenant(auth.principal, permission, tenantId) ? { tenantId, csrfToken: auth.csrfToken ?? null } : undefined;
}

const actorOf = (request: FastifyRequest) => `${request.auth!.principal.kind}:${request.auth!.principal.name}`;

/** The rule settings section of the settings page, for the page route that owns it. */
export async function ruleSettingsHtml(deps: DashboardDeps, request: FastifyRequest & { query: unknown }, t: Texts, tenantId: string): Promise<Html> {
  const rules = await deps.rules.get();
  const overview = await settingsOverview(deps.api.store, rules, tenantId, deps.now());
  const saved = (request.query as Record<string, unknown> | undefined)?.saved;
  const st = settingsTexts(t.lang).settings;
  return ruleSettingsSection(t, overview, rules, formAccess(request, 'rules:configure', tenantId), saved === 'rules' ? st.saved : saved === 'model' ? st.modelSaved : undefined);
}

/** Forms that change a tenant's rule settings, and the manual controls page. */
export function tenantSettingsPages(app: FastifyInstance, deps: DashboardDeps): void {
  const { api, now } = deps;
  const context = async (): Promise<SettingsContext> => ({ store: api.store, ruleSet: await deps.rules.get(), onChanged: api.onRuleSettingsChanged });

  async function submit(request: FastifyRequest, reply: FastifyReply, back: string, done: string, fn: (ctx: SettingsContext) => Promise<unknown>): Promise<FastifyReply> {
    const ctx = await pageContext(deps, request, 'settings');
    if (!ctx.tenant) return sendMessage(reply, ctx, 404, ctx.t.notFound);
    try {
      await fn(await context());
    } catch (error) {
      if (error instanceof SettingsError) return sendPage(reply, ctx, settingsTexts(ctx.t.lang).settings.refused, refusedPage(ctx.t, error.problems, back), 422);
      throw error;
    }
    return reply.redirect(done, 303);
  }

  app.post<TenantParams>('/t/:tenant/settings/rules', page('rules:configure'), async (request, reply) => {
    const tenantId = request.params.tenant;
    const base = `/t/${encodeURIComponent(tenantId)}/settings`;
    const body = request.body;
    return submit(request, reply, `${base}#rule-settings`, `${base}?saved=rules#rule-settings`, async (ctx) => {
      const ruleId = field(body, 'ruleId') ?? '';
      const action = field(body, 'action') ?? 'params';
      const current = await tenantSettingsStore(api.store).get(tenantId, ruleId);
      let params = current ? (JSON.parse(current.params) as Record<string, unknown>) : {};
      let disabled = current?.disabled === 1;
      if (action === 'params') params = { ...params, ...paramsFromText((field(body, 'params') ?? '').split(/\r?\n/), ctx.ruleSet, ruleId) };
      else if (action === 'disable') disabled = true;
      else if (action === 'enable') disabled = false;
      else {
        params = {};
        disabled = false;
      }
      const reviewAt = field(body, 'reviewAt');
      await setRuleSetting(ctx, tenantId, ruleId, { params, disabled, reason: field(body, 'reason'), ...(reviewAt ? { reviewAt } : {}) }, actorOf(request), now());
    });
  });

  app.post<TenantParams>('/t/:tenant/settings/network-model', page('rules:configure'), async (request, reply) => {
    const base = `/t/${encodeURIComponent(request.params.tenant)}/settings`;
    return submit(request, reply, `${base}#network-model`, `${base}?saved=model#network-model`, (ctx) =>
      setNetworkModel(ctx, request.params.tenant, { yaml: field(request.body, 'yaml'), reason: field(request.body, 'reason') }, actorOf(request), now()),
    );
  });

  app.get<TenantParams & { Querystring: { attested?: string } }>('/t/:tenant/controls', page('findings:read'), async (request, reply) => {
    const ctx = await pageContext(deps, request, 'controls');
    if (!ctx.tenant) return sendMessage(reply, ctx, 404, ctx.t.notFound);
    const ct = settingsTexts(ctx.t.lang).controls;
    const settings = await context();
    const controls = await listControls(settings, ctx.tenant.id, now());
    return sendPage(reply, ctx, ct.title, controlsPage(ctx.t, controls, settings.ruleSet, formAccess(request, 'controls:attest', ctx.tenant.id), now(), request.query.attested ? ct.attested : undefined));
  });

  app.post<{ Params: { tenant: string; control: string } }>('/t/:tenant/controls/:control/attest', page('controls:attest'), async (request, reply) => {
    const base = `/t/${encodeURIComponent(request.params.tenant)}/controls`;
    const body = request.body;
    const nextReviewAt = field(body, 'nextReviewAt');
    return submit(request, reply, base, `${base}?attested=1`, (ctx) =>
      attestControl(
        ctx,
        request.params.tenant,
        request.params.control,
        { outcome: field(body, 'outcome'), evidenceRef: field(body, 'evidenceRef'), reason: field(body, 'reason'), ...(nextReviewAt ? { nextReviewAt } : {}) },
        actorOf(request),
        now(),
      ),
    );
  });
}
