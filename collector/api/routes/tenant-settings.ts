import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { API_PREFIX } from '../../../report/api.js';
import type { Problem } from '../../../common/validation.js';
import { attestControl, listControls, presentAttestation } from '../../services/attestations.js';
import { manualControl } from '../../services/manual-controls.js';
import { setNetworkModel, setRuleSetting, settingsOverview, SettingsError, presentNetworkModel, type SettingsContext } from '../../services/tenant-settings.js';
import { attestationStore } from '../../store/attestations.js';
import { tenantSettingsStore } from '../../store/tenant-settings.js';
import { RuleCatalogue } from '../../dashboard/rules.js';
import { principalOf } from '../access.js';
import { sendError } from '../errors.js';
import type { ApiDeps } from '../server.js';

type TenantParams = { Params: { tenant: string } };
type RuleParams = { Params: { tenant: string; rule: string } };
type ControlParams = { Params: { tenant: string; control: string } };

const NOT_FOUND = 'Finns inte, eller så saknar du behörighet (not found or not permitted)';

/** Problems with their line, when they came from a file: `rad 12: kommuner.amal.zones…`. */
function sendProblems(reply: FastifyReply, code: string, message: string, problems: readonly Problem[]): FastifyReply {
  return reply.code(422).type('application/json').send({
    error: {
      code,
      message: `${message}: ${problems.map((p) => `${p.line !== undefined ? `rad ${p.line}: ` : ''}${p.path ? `${p.path}: ` : ''}${p.message}`).join('; ')}`,
      problems: problems.map((p) => ({ path: p.path, message: p.message, ...(p.line !== undefined ? { line: p.line } : {}), ...(p.column !== undefined ? { column: p.column } : {}) })),
    },
  });
}

/** A tenant's rule settings (parameter overrides, disabled rules, network model) and its manual controls. */
export function tenantSettingsRoutes(app: FastifyInstance, deps: ApiDeps, now: () => Date): void {
  const rules = new RuleCatalogue(deps.ruleSet);
  const read = { config: { access: { kind: 'tenant' as const, permission: 'findings:read' as const } } };
  const configure = { config: { access: { kind: 'tenant' as const, permission: 'rules:configure' as const } } };
  const attest = { config: { access: { kind: 'tenant' as const, permission: 'controls:attest' as const } } };
  const actor = (request: FastifyRequest) => `${principalOf(request).kind}:${principalOf(request).name}`;
  const context = async (): Promise<SettingsContext> => ({ store: deps.store, ruleSet: await rules.get(), onChanged: deps.onRuleSettingsChanged });
  // An admin passes the access check for any tenant id; one that does not exist is not found.
  const exists = async (tenantId: string) => (await deps.store.getTenant(tenantId)) !== undefined;

  /** Runs a change; a refused one is answered 422 naming every problem. */
  async function change(reply: FastifyReply, code: string, message: string, fn: () => Promise<unknown>, status = 200): Promise<FastifyReply> {
    try {
      return reply.code(status).send(await fn());
    } catch (error) {
      if (error instanceof SettingsError) return sendProblems(reply, code, message, error.problems);
      throw error;
    }
  }

  app.get<TenantParams>(`${API_PREFIX}/tenants/:tenant/rule-settings`, read, async (request, reply) => {
    if (!(await exists(request.params.tenant))) return sendError(reply, 404, 'not-found', NOT_FOUND);
    return settingsOverview(deps.store, await rules.get(), request.params.tenant, now());
  });

  app.put<RuleParams>(`${API_PREFIX}/tenants/:tenant/rule-settings/:rule`, configure, async (request, reply) => {
    if (!(await exists(request.params.tenant))) return sendError(reply, 404, 'not-found', NOT_FOUND);
    const { tenant, rule } = request.params;
    return change(reply, 'invalid-rule-setting', 'Ogiltig regelinställning (invalid rule setting)', async () => ({
      tenant,
      ruleId: rule,
      setting: await setRuleSetting(await context(), tenant, rule, request.body ?? {}, actor(request), now()),
    }));
  });

  app.delete<RuleParams>(`${API_PREFIX}/tenants/:tenant/rule-settings/:rule`, configure, async (request, reply) => {
    if (!(await exists(request.params.tenant))) return sendError(reply, 404, 'not-found', NOT_FOUND);
    const { tenant, rule } = request.params;
    if (!(await tenantSettingsStore(deps.store).get(tenant, rule))) return sendError(reply, 404, 'not-found', 'Regeln har ingen inställning (the rule has no setting)');
    const body = (request.body ?? {}) as Record<string, unknown>;
    return change(reply, 'invalid-rule-setting', 'Ogiltig regelinställning (invalid rule setting)', async () => ({
      tenant,
      ruleId: rule,
      setting: await setRuleSetting(await context(), tenant, rule, { reason: body.reason }, actor(request), now()),
    }));
  });

  app.get<TenantParams>(`${API_PREFIX}/tenants/:tenant/network-model`, read, async (request, reply) => {
    if (!(await exists(request.params.tenant))) return sendError(reply, 404, 'not-found', NOT_FOUND);
    const model = presentNetworkModel(await tenantSettingsStore(deps.store).networkModel(request.params.tenant));
    return model ? { tenant: request.params.tenant, ...model } : sendError(reply, 404, 'not-found', 'Organisationen har ingen nätmodell (the tenant has no network model)');
  });

  app.put<TenantParams>(`${API_PREFIX}/tenants/:tenant/network-model`, configure, async (request, reply) => {
    if (!(await exists(request.params.tenant))) return sendError(reply, 404, 'not-found', NOT_FOUND);
    return change(reply, 'invalid-network-model', 'Nätmodellen kan inte användas (invalid network model)', async () => ({
      tenant: request.params.tenant,
      ...(await setNetworkModel(await context(), request.params.tenant, request.body ?? {}, actor(request), now())),
    }));
  });

  app.delete<TenantParams>(`${API_PREFIX}/tenants/:tenant/network-model`, configure, async (request, reply) => {
    if (!(await exists(request.params.tenant))) return sendError(reply, 404, 'not-found', NOT_FOUND);
    if (!(await tenantSettingsStore(deps.store).networkModel(request.params.tenant))) return sendError(reply, 404, 'not-found', 'Organisationen har ingen nätmodell (the tenant has no network model)');
    return change(reply, 'invalid-network-model', 'Ogiltig begäran (invalid request)', async () => {
      await setNetworkModel(await context(), request.params.tenant, request.body ?? {}, actor(request), now(), true);
      return { tenant: request.params.tenant, removed: true };
    });
  });

  app.get<TenantParams>(`${API_PREFIX}/tenants/:tenant/manual-controls`, read, async (request, reply) => {
    if (!(await exists(request.params.tenant))) return sendError(reply, 404, 'not-found', NOT_FOUND);
    return { tenant: request.params.tenant, controls: await listControls(await context(), request.params.tenant, now()) };
  });

  app.get<ControlParams>(`${API_PREFIX}/tenants/:tenant/manual-controls/:control/attestations`, read, async (request, reply) => {
    const { tenant, control } = request.params;
    if (!(await exists(tenant)) || !manualControl(await rules.get(), control)) return sendError(reply, 404, 'not-found', NOT_FOUND);
    return { tenant, controlId: control, attestations: (await attestationStore(deps.store).history(tenant, control)).map(presentAttestation) };
  });

  app.post<ControlParams>(`${API_PREFIX}/tenants/:tenant/manual-controls/:control/attestations`, attest, async (request, reply) => {
    const { tenant, control } = request.params;
    if (!(await exists(tenant))) return sendError(reply, 404, 'not-found', NOT_FOUND);
    return change(
      reply,
      'invalid-attestation',
      'Ogiltigt intyg (invalid attestation)',
      async () => ({ tenant, control: await attestControl(await context(), tenant, control, request.body ?? {}, actor(request), now()) }),
      201,
    );
  });
}
