import { readFile } from 'node:fs/promises';
import type { Logger } from 'pino';
import { BUNDLED_RULE_DIRS, loadRules } from '../rules/engine/index.js';
import { VERSION } from '../common/version.js';
import { buildApi } from './api/server.js';
import type { CollectorConfig } from './config/schema.js';
import { startAlerts, type RunningAlerts } from './alerts/index.js';
import { AggregateRefresher } from './evaluate/aggregate-refresher.js';
import { Evaluator } from './evaluate/evaluator.js';
import { Rejudger } from './services/rejudge.js';
import { TenantRuleCache } from './services/tenant-rules.js';
import { openStore, type Store } from './store/index.js';

export interface RunningCollector {
  url: string;
  store: Store;
  evaluator: Evaluator;
  aggregates: AggregateRefresher;
  /** Judges a tenant's stored facts again after its rule settings changed. */
  rejudger: Rejudger;
  /** Present when the config has an `alerts` section. */
  alerts: RunningAlerts | undefined;
  close(): Promise<void>;
}

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|localhost)$/;

export async function startCollector(config: CollectorConfig, logger: Logger): Promise<RunningCollector> {
  if (!config.tls && !LOOPBACK.test(config.listen.host)) {
    throw new Error(
      `insamlaren lyssnar bara på ${config.listen.host} med TLS: ange tls.certFile och tls.keyFile (the collector listens beyond loopback only with TLS)`,
    );
  }
  const ruleSet = await loadRules([...BUNDLED_RULE_DIRS, ...config.rules.directories]);
  const store = await openStore(config.database);
  const evaluator = new Evaluator(ruleSet, {}, new TenantRuleCache(store, ruleSet));
  const aggregates = new AggregateRefresher(store, evaluator, logger);
  const rejudger = new Rejudger(store, evaluator, logger);
  // Registered before the API listens, so no transition can commit without its alerts.
  const alerts = config.alerts
    ? await startAlerts(store, config.alerts, logger, { ruleTitle: (id) => ruleSet.allById.get(id)?.title }).catch(async (error: unknown) => {
        await store.close();
        throw error;
      })
    : undefined;
  const https = config.tls
    ? {
        key: await readFile(config.tls.keyFile),
        cert: await readFile(config.tls.certFile),
        ...(config.tls.clientCaFile ? { ca: await readFile(config.tls.clientCaFile), requestCert: true, rejectUnauthorized: config.tls.requireClientCert } : {}),
      }
    : undefined;
  const app = buildApi({
    store,
    evaluator,
    logger,
    bodyLimitBytes: config.limits.bodyBytes,
    version: VERSION,
    https,
    onReportAccepted: (tenantId) => aggregates.markDirty(tenantId),
    beforeRead: () => aggregates.flush(),
    onRuleSettingsChanged: (tenantId, what) => rejudger.schedule(tenantId, what),
    secureCookies: config.auth.secureCookies ?? Boolean(config.tls),
    ldapLogin: config.auth.ldap,
    silentAfterHours: config.lifecycle.silentAfterHours,
    outboxDepth: alerts ? () => alerts.depth() : undefined,
    ruleSet,
  });
  const address = await app.listen({ host: config.listen.host, port: config.listen.port });
  const database = config.database.driver === 'sqlite' ? config.database.path : `postgres://${config.database.host}:${config.database.port}/${config.database.database}`;
  logger.info({ address, database, rules: ruleSet.rules.length }, 'collector listening');
  // Findings left stale by a replica that stopped while re-judging them (or by the command line).
  void rejudger.resumeStale().catch((error: unknown) => logger.error({ err: error }, 'stale findings could not be judged again'));
  return {
    url: address,
    store,
    evaluator,
    aggregates,
    rejudger,
    alerts,
    async close() {
      await app.close();
      await rejudger.idle();
      await aggregates.stop();
      await alerts?.close();
      await store.close();
    },
  };
}
