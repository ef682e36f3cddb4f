import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { API_PREFIX, enrollRequestSchema } from '../../report/api.js';
import { problemsFromZod } from '../../common/validation.js';
import { reportJsonSchema } from '../../report/json-schema.js';
import type { Store } from '../store/index.js';
import { authenticateAgent, authenticateApiToken } from '../services/authenticate.js';
import { EnrollmentError, enrollAgent } from '../services/enrollment.js';
import { ingestReport, type ReportJudge } from '../services/ingest.js';
import { sendError } from './errors.js';
import { parseFindingQuery, presentFinding } from './findings.js';

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
  https?: { key: Buffer; cert: Buffer } | undefined;
}

export function buildApi(deps: ApiDeps): FastifyInstance {
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

  app.setErrorHandler((error: { statusCode?: number; code?: string; message: string }, request, reply) => {
    const status = error.statusCode ?? 500;
    if (status === 413) {
      return sendError(reply, 413, 'body-too-large', `Rapporten är större än gränsen ${deps.bodyLimitBytes} byte (body exceeds the limit of ${deps.bodyLimitBytes} bytes)`);
    }
    if (status === 415) return sendError(reply, 415, 'unsupported-media-type', 'Skicka JSON med Content-Type: application/json (send JSON)');
    if (status === 400) return sendError(reply, 400, 'malformed-body', `Kroppen är inte giltig JSON: ${error.message} (body is not valid JSON)`);
    request.log.error({ err: error }, 'request failed');
    return sendError(reply, 500, 'internal', 'Internt fel i insamlaren (internal error)');
  });
  app.setNotFoundHandler((request, reply) => sendError(reply, 404, 'not-found', `Ingen sådan adress: ${request.method} ${request.url}`));

  app.get(`${API_PREFIX}/health`, async () => ({ status: 'ok', version: deps.version }));
  app.get(`${API_PREFIX}/schema/report`, async () => reportJsonSchema());

  app.post(`${API_PREFIX}/enroll`, async (request, reply) => {
    const parsed = enrollRequestSchema.safeParse(request.body);
    if (!parsed.success) return sendError(reply, 422, 'invalid-request', 'Ogiltig anslutningsbegäran (invalid enrollment request)', problemsFromZod(parsed.error));
    try {
      const response = await enrollAgent(deps.store, parsed.data, now());
      request.log.info({ agentId: response.agentId, tenant: response.tenant, hostname: parsed.data.hostname }, 'agent enrolled');
      return reply.code(201).send(response);
    } catch (error) {
      if (error instanceof EnrollmentError) return sendError(reply, 401, `enrollment-${error.reason}`, error.message);
      throw error;
    }
  });

  app.post(`${API_PREFIX}/reports`, async (request: FastifyRequest, reply) => {
    const caller = await authenticateAgent(deps.store, request.headers.authorization);
    if (!caller || caller.kind !== 'agent') return sendError(reply, 401, 'unauthenticated', 'Agentens inloggning saknas eller gäller inte (missing or invalid agent credential)');
    const outcome = await ingestReport({ store: deps.store, evaluator: deps.evaluator, now, onAccepted: deps.onReportAccepted }, caller, request.body);
    switch (outcome.kind) {
      case 'accepted':
        return reply.code(201).send({ reportId: outcome.reportId, status: 'accepted' });
      case 'duplicate':
        return reply.code(200).send({ reportId: outcome.reportId, status: 'duplicate' });
      case 'invalid':
        return sendError(reply, 422, 'invalid-report', 'Rapporten följer inte rapportformatet (report does not match the schema)', outcome.problems);
      case 'forbidden':
        return sendError(reply, 403, 'wrong-agent', outcome.message);
      case 'conflict':
        return sendError(reply, 409, 'report-id-conflict', outcome.message);
    }
  });

  app.get(`${API_PREFIX}/findings`, async (request, reply) => {
    const caller = await authenticateApiToken(deps.store, request.headers.authorization);
    if (!caller) return sendError(reply, 401, 'unauthenticated', 'API-nyckel saknas eller gäller inte (missing or invalid API token)');
    const query = parseFindingQuery(request.query);
    if (!query.ok) return sendError(reply, 400, 'invalid-query', 'Ogiltig fråga (invalid query)', query.problems);
    await deps.beforeRead?.();
    const rows = await deps.store.listFindings(caller.tenantId, query.filter);
    return { tenant: caller.tenantId, findings: rows.map(presentFinding) };
  });

  return app;
}
