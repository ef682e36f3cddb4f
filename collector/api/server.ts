import fastifyCookie from '@fastify/cookie';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { LdapLoginConfig } from '../auth/login.js';
import type { ReportJudge } from '../services/ingest.js';
import type { Store } from '../store/index.js';
import { registerAccessControl } from './access.js';
import { parseJsonBody } from './json-body.js';
import { isDatabaseUnavailable } from '../store/errors.js';
import { sendError } from './errors.js';
import { Metrics } from './metrics.js';
import type { RouteInfo } from './openapi.js';
import { adminRoutes } from './routes/admin.js';
import { agentRoutes } from './routes/agent.js';
import { opsRoutes } from './routes/ops.js';
import { sessionRoutes } from './routes/session.js';
import { tenantRoutes } from './routes/tenants.js';
import { waiverRoutes } from './routes/waivers.js';
import { tenantSettingsRoutes } from './routes/tenant-settings.js';
import { dashboardRoutes } from '../dashboard/routes.js';
import type { RuleSet } from '../../rules/engine/index.js';

export interface ApiDeps {
  store: Store;
  evaluator: ReportJudge;
  logger: Logger;
  now?: () => Date;
  bodyLimitBytes: number;
  version: string;
  onReportAccepted?: (tenantId: string) => void;
  /** Runs before findings are read, so tenant-wide rules are current. */
  beforeRead?: () => Promise<void>;
  https?: { key: Buffer; cert: Buffer; ca?: Buffer; requestCert?: boolean; rejectUnauthorized?: boolean } | undefined;
  /** Mark session cookies Secure; true whenever the collector serves TLS itself or behind a TLS proxy. */
  secureCookies: boolean;
  ldapLogin: readonly LdapLoginConfig[];
  /** A target that has not reported for this long has "no data". */
  silentAfterHours: number;
  metrics?: Metrics;
  outboxDepth?: () => Promise<{ pending: number; dead: number }>;
  /** The collector's rules, for the dashboard's titles and remediation; the bundled packs when absent. */
  ruleSet?: RuleSet;
  /** A tenant's rule settings changed (judge its stored facts again) or a manual control was attested. */
  onRuleSettingsChanged?: (tenantId: string, what: 'settings' | 'attestation') => void;
}

export function buildApi(input: Omit<ApiDeps, 'secureCookies' | 'ldapLogin' | 'silentAfterHours'> & Partial<Pick<ApiDeps, 'secureCookies' | 'ldapLogin' | 'silentAfterHours'>>): FastifyInstance {
  const deps: ApiDeps = { secureCookies: Boolean(input.https), ldapLogin: [], silentAfterHours: 24, metrics: new Metrics(), ...input };
  const now = deps.now ?? (() => new Date());
  const app = Fastify({
    loggerInstance: deps.logger,
    bodyLimit: deps.bodyLimitBytes,
    onProtoPoisoning: 'error',
    onConstructorPoisoning: 'error',
    ...(deps.https ? { https: deps.https } : {}),
  }) as unknown as FastifyInstance;

  // Only JSON is accepted; anything else is answered 415 rather than read as a string.
  app.removeContentTypeParser('text/plain');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_request, body, done) => {
    try {
      done(null, parseJsonBody(body as Buffer));
    } catch (error) {
      done(Object.assign(error as Error, { statusCode: 400 }), undefined);
    }
  });
  void app.register(fastifyCookie);

  app.setErrorHandler((error: { statusCode?: number; message: string }, request, reply) => {
    const status = error.statusCode ?? 500;
    if (status === 413) {
      return sendError(reply, 413, 'body-too-large', `Kroppen är större än gränsen ${deps.bodyLimitBytes} byte (body exceeds the limit of ${deps.bodyLimitBytes} bytes)`);
    }
    if (status === 415) return sendError(reply, 415, 'unsupported-media-type', 'Skicka JSON med Content-Type: application/json (send JSON)');
    if (status === 400) return sendError(reply, 400, 'malformed-body', `Kroppen är inte giltig JSON: ${error.message} (body is not valid JSON)`);
    if (isDatabaseUnavailable(error)) {
      request.log.warn({ err: error }, 'database unavailable');
      reply.header('retry-after', '5');
      return sendError(reply, 503, 'database-unavailable', 'Databasen går inte att nå just nu; försök igen (database unavailable, retry)');
    }
    request.log.error({ err: error }, 'request failed');
    return sendError(reply, 500, 'internal', 'Internt fel i insamlaren (internal error)');
  });
  app.setNotFoundHandler((request, reply) => sendError(reply, 404, 'not-found', `Ingen sådan adress: ${request.method} ${request.url}`));

  const routes: RouteInfo[] = [];
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const method of methods) if (route.config?.access) routes.push({ method, url: route.url, access: route.config.access });
  });
  app.decorate('basvaktRoutes', routes);
  registerAccessControl(app, deps.store, now);

  agentRoutes(app, deps, now);
  sessionRoutes(app, deps, now);
  tenantRoutes(app, deps, now);
  waiverRoutes(app, deps, now);
  tenantSettingsRoutes(app, deps, now);
  adminRoutes(app, deps, now);
  opsRoutes(app, deps, now, routes);
  dashboardRoutes(app, deps, now);
  return app;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Every route with its access rule, as registered; tests use it to cover all routes. */
    basvaktRoutes: readonly RouteInfo[];
  }
}
