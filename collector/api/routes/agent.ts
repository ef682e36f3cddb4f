import type { FastifyInstance } from 'fastify';
import { API_PREFIX, enrollRequestSchema } from '../../../report/api.js';
import { problemsFromZod } from '../../../common/validation.js';
import { authenticateAgent } from '../../services/authenticate.js';
import { EnrollmentError, enrollAgent, rotateAgentSecret } from '../../services/enrollment.js';
import { ingestReport } from '../../services/ingest.js';
import { sendError } from '../errors.js';
import type { ApiDeps } from '../server.js';

const UNAUTHENTICATED = 'Agentens inloggning saknas eller gäller inte (missing or invalid agent credential)';

/** What agents call: enrollment, report ingest and credential rotation. */
export function agentRoutes(app: FastifyInstance, deps: ApiDeps, now: () => Date): void {
  app.post(`${API_PREFIX}/enroll`, { config: { access: { kind: 'public' } } }, async (request, reply) => {
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

  app.post(`${API_PREFIX}/reports`, { config: { access: { kind: 'agent' } } }, async (request, reply) => {
    const caller = await authenticateAgent(deps.store, request.headers.authorization);
    if (!caller || caller.kind !== 'agent') return sendError(reply, 401, 'unauthenticated', UNAUTHENTICATED);
    const started = performance.now();
    const outcome = await ingestReport({ store: deps.store, evaluator: deps.evaluator, now, onAccepted: deps.onReportAccepted }, caller, request.body);
    deps.metrics?.observeIngest(outcome.kind, performance.now() - started);
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

  app.post(`${API_PREFIX}/agent/rotate`, { config: { access: { kind: 'agent' } } }, async (request, reply) => {
    const caller = await authenticateAgent(deps.store, request.headers.authorization);
    if (!caller || caller.kind !== 'agent') return sendError(reply, 401, 'unauthenticated', UNAUTHENTICATED);
    const secret = await rotateAgentSecret(deps.store, caller.agent.id, now());
    return reply.code(200).send({ agentId: caller.agent.id, secret, tenant: caller.tenantId });
  });
}
