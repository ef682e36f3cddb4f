import type { FastifyInstance } from 'fastify';
import { silentLogger } from '../../../common/logger.js';
import { buildApi } from '../../../collector/api/server.js';
import { hashPassword } from '../../../collector/auth/passwords.js';
import type { LdapLoginConfig } from '../../../collector/auth/login.js';
import type { Grant } from '../../../collector/auth/roles.js';
import { createApiToken, createEnrollmentToken, enrollAgent } from '../../../collector/services/enrollment.js';
import { grantWaiver } from '../../../collector/services/waivers.js';
import { openStore, type FindingInput, type Store } from '../../../collector/store/index.js';
import { attestationStore } from '../../../collector/store/attestations.js';
import { tenantSettingsStore } from '../../../collector/store/tenant-settings.js';
import { hostReport, testFinding } from '../../support/reports.js';

export const PASSWORD = 'ett-långt-lösenord-2026';

/** Two kommuner with data, a federation over both, and users in every role. */
export interface World {
  store: Store;
  app: FastifyInstance;
  base: string;
  clock: { now: Date };
  apiToken: Record<'amal' | 'bengtsfors', string>;
  ids: Record<'amal' | 'bengtsfors', { agentId: string; waiverId: string; tokenId: string }>;
  close(): Promise<void>;
}

/** Words that only tenant B's data contains; none may ever reach a caller from tenant A. */
export const B_MARKERS = ['bengtsfors-secret-host', 'BV-B-ONLY'];

function finding(ruleId: string, targetName: string, status: FindingInput['status']): FindingInput {
  return testFinding({ ruleId, targetId: `machine-${targetName}`, targetName, status });
}

export async function buildWorld(options: { ldapLogin?: LdapLoginConfig[] } = {}): Promise<World> {
  const store = await openStore({ driver: 'sqlite', path: ':memory:' });
  const clock = { now: new Date('2026-11-23T08:00:00Z') };
  const now = () => clock.now;
  for (const [id, name] of [['amal', 'Åmåls kommun'], ['bengtsfors', 'Bengtsfors kommun']] as const) await store.createTenant(id, name, now());
  await store.federations.create('dalsland', 'Dalslandskommunerna', ['amal', 'bengtsfors'], now());

  const users: [string, Grant][] = [
    ['admin', { role: 'admin', scopeKind: 'global', scopeId: '*' }],
    ['officer-a', { role: 'security-officer', scopeKind: 'tenant', scopeId: 'amal' }],
    ['tech-a', { role: 'technician', scopeKind: 'tenant', scopeId: 'amal' }],
    ['viewer-a', { role: 'viewer', scopeKind: 'tenant', scopeId: 'amal' }],
    ['officer-b', { role: 'security-officer', scopeKind: 'tenant', scopeId: 'bengtsfors' }],
    ['chefsgruppen', { role: 'federation-viewer', scopeKind: 'federation', scopeId: 'dalsland' }],
  ];
  const hash = await hashPassword(PASSWORD);
  for (const [username, grant] of users) {
    const id = `usr_${username}`;
    await store.users.create({ id, username, display_name: username, password_hash: hash, ldap_dn: null, created_at: now().toISOString(), disabled_at: null });
    await store.users.grant(id, grant);
  }

  const ids = {} as World['ids'];
  const apiToken = {} as World['apiToken'];
  for (const tenant of ['amal', 'bengtsfors'] as const) {
    const enrollment = await createEnrollmentToken(store, { tenantId: tenant, maxUses: 5, validForHours: 24, actor: 'test' }, now());
    const agent = await enrollAgent(store, { token: enrollment.token, hostname: `agent-${tenant}`, agentVersion: '0.1.0' }, now());
    const host = tenant === 'amal' ? 'amal-web01' : 'bengtsfors-secret-host';
    const report = hostReport(agent.agentId);
    report.targets[0]!.name = host;
    report.targets[0]!.id = `machine-${host}`;
    await store.storeReport({
      tenantId: tenant,
      agentId: agent.agentId,
      report,
      receivedAt: now(),
      findings: [finding('BV-AV-001', host, 'fail'), finding(tenant === 'amal' ? 'BV-FW-001' : 'BV-B-ONLY', host, 'fail')],
    });
    const waiver = await grantWaiver(store, tenant, { ruleId: 'BV-AV-001', reason: 'ersätts av ny server i december', riskOwner: 'IT-chef', expiresAt: '2026-12-31T00:00:00Z' }, 'test', now());
    // Rule settings and an attestation, so the walk over every route covers those too.
    const marker = tenant === 'amal' ? 'amal-web01' : 'BV-B-ONLY';
    const at = now().toISOString();
    await tenantSettingsStore(store).change(tenant, 'BV-FW-001', { tenant_id: tenant, rule_id: 'BV-FW-001', params: '{}', disabled: 1, reason: `${marker} har central brandvägg`, changed_by: 'test', changed_at: at, review_at: null }, () => ({ actor: 'test', action: 'rule-setting.changed', details: {}, at: now() }));
    await attestationStore(store).add({ tenant_id: tenant, control_id: 'BV-PROC-M01', outcome: 'met', evidence_ref: `${marker} diarienr`, reason: 'rutinen är fastställd', attested_by: 'test', attested_at: at, next_review_at: '2027-06-01T00:00:00.000Z' }, () => ({ actor: 'test', action: 'control.attested', details: {}, at: now() }));
    apiToken[tenant] = (await createApiToken(store, { tenantId: tenant, role: 'reader', actor: 'test' }, now())).token;
    ids[tenant] = { agentId: agent.agentId, waiverId: waiver.id, tokenId: enrollment.id };
  }

  const app = buildApi({ store, evaluator: { evaluateReport: () => [] }, logger: silentLogger, bodyLimitBytes: 1024 * 1024, version: 'test', now, ldapLogin: options.ldapLogin ?? [] });
  const base = await app.listen({ host: '127.0.0.1', port: 0 });
  return {
    store,
    app,
    base,
    clock,
    apiToken,
    ids,
    async close() {
      await app.close();
      await store.close();
    },
  };
}

export interface Session {
  cookie: string;
  csrf: string;
}

export async function login(world: World, username: string, password = PASSWORD, cookie?: string): Promise<{ status: number; session?: Session; response: Response }> {
  const response = await fetch(`${world.base}/api/v1/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(cookie ? { cookie } : {}) },
    body: JSON.stringify({ username, password }),
  });
  if (response.status !== 200) return { status: response.status, response };
  const setCookie = response.headers.get('set-cookie') ?? '';
  const body = (await response.clone().json()) as { csrfToken: string };
  return { status: 200, session: { cookie: setCookie.split(';')[0]!, csrf: body.csrfToken }, response };
}

export function call(world: World, method: string, path: string, auth: { session?: Session; token?: string; csrf?: boolean } = {}, body?: unknown) {
  const headers: Record<string, string> = {};
  if (auth.session) headers.cookie = auth.session.cookie;
  if (auth.session && auth.csrf !== false) headers['x-csrf-token'] = auth.session.csrf;
  if (auth.token) headers.authorization = `Bearer ${auth.token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  return fetch(`${world.base}${path}`, { method, headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
}
