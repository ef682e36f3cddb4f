import { silentLogger } from '../../common/logger.js';
import { buildApi } from '../../collector/api/server.js';
import { createEnrollmentToken, enrollAgent } from '../../collector/services/enrollment.js';
import { openStore, type DatabaseConfig, type Store } from '../../collector/store/index.js';
import type { FastifyInstance } from 'fastify';

export interface EnrolledAgent {
  agentId: string;
  secret: string;
  /** The Authorization header value the agent sends. */
  auth: string;
}

/** A store with the tenant `amal` ("Åmåls kommun") and one enrolled agent. */
export async function storeWithAgent(config: DatabaseConfig = { driver: 'sqlite', path: ':memory:' }, now = new Date()): Promise<{ store: Store; agent: EnrolledAgent }> {
  const store = await openStore(config);
  await store.createTenant('amal', 'Åmåls kommun', now);
  return { store, agent: await enrollTestAgent(store, 'amal', now) };
}

export async function enrollTestAgent(store: Store, tenantId: string, now = new Date()): Promise<EnrolledAgent> {
  const { token } = await createEnrollmentToken(store, { tenantId, maxUses: 1, validForHours: 1, actor: 'test' }, now);
  const { agentId, secret } = await enrollAgent(store, { token, hostname: `agent-${tenantId}`, agentVersion: '0.1.0' }, now);
  return { agentId, secret, auth: `Bearer ${agentId}.${secret}` };
}

/** The collector API on 127.0.0.1 with a judge that finds nothing, for tests of the HTTP layer. */
export async function listenWithoutRules(store: Store, options: { bodyLimitBytes?: number; now?: () => Date } = {}): Promise<{ app: FastifyInstance; base: string }> {
  const app = buildApi({ store, evaluator: { evaluateReport: () => [] }, logger: silentLogger, bodyLimitBytes: options.bodyLimitBytes ?? 1024 * 1024, version: 'test', ...(options.now ? { now: options.now } : {}) });
  return { app, base: await app.listen({ host: '127.0.0.1', port: 0 }) };
}
