import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Logger } from 'pino';
import type { Store } from '../store/index.js';
import { createChannels } from './channels/index.js';
import { describeError } from './channels/channel.js';
import type { AlertsConfig } from './config.js';
import { enqueueDueDigests } from './digest.js';
import { AlertDispatcher, type FlushResult } from './dispatcher.js';
import { createTransitionListener } from './listener.js';
import { Outbox, outboxDepth, purgeDelivered, type OutboxDepth } from './outbox.js';
import { RateLimiter } from './rate-limit.js';
import { checkSilentAgents } from './silent-agents.js';
import type { RuleTitleLookup } from './types.js';

export { alertsConfigSchema, resolveAlertPaths, type AlertsConfig } from './config.js';
export { outboxDepth, type OutboxDepth } from './outbox.js';
export { verifyWebhookSignature, signWebhook } from './channels/webhook.js';

/** Delivered alerts are kept this long for inspection, then deleted; the audit of what happened is in finding_events. */
const KEEP_DELIVERED_DAYS = 30;

export interface RunningAlerts {
  outbox: Outbox;
  dispatcher: AlertDispatcher;
  /** Sends what is due now (tests, shutdown). */
  flush(): Promise<FlushResult>;
  /** Runs the digest and silent-agent checks now. */
  checkSchedules(): Promise<void>;
  depth(): Promise<OutboxDepth>;
  close(): Promise<void>;
}

export interface AlertsOptions {
  ruleTitle: RuleTitleLookup;
  now?: () => Date;
  /** How often digests and silent agents are checked. */
  scheduleIntervalMs?: number;
  /**
   * No agent counts as silent this soon after the collector starts: after an outage of the
   * collector itself, agents first need time to deliver what they spooled meanwhile.
   */
  silenceGraceMs?: number;
}

/**
 * Registers the outbox listener on the store and starts sending. Channels and their
 * secrets are read first, so a broken alert configuration stops the collector at start.
 */
export async function startAlerts(store: Store, config: AlertsConfig, logger: Logger, options: AlertsOptions): Promise<RunningAlerts> {
  const now = options.now ?? (() => new Date());
  const channels = await createChannels(config.channels, config.timeZone);
  const outbox = new Outbox(store.db, {
    owner: `${hostname()}:${process.pid}:${randomUUID()}`,
    leaseSeconds: config.delivery.leaseSeconds,
    maxAttempts: config.delivery.maxAttempts,
    backoffSeconds: config.delivery.backoffSeconds,
  });
  store.onTransitions(createTransitionListener(config, options.ruleTitle, now));
  const dispatcher = new AlertDispatcher({
    outbox,
    channels,
    rateLimiter: new RateLimiter(new Map(config.channels.map((c) => [c.id, c.rateLimit]))),
    logger,
    intervalMs: config.delivery.intervalSeconds * 1000,
    now,
  });

  const startedAt = now().getTime();
  const graceMs = options.silenceGraceMs ?? Math.min(15, config.silentAgents.afterMinutes) * 60_000;
  let schedules: Promise<void> = Promise.resolve();
  const checkSchedules = (): Promise<void> => {
    schedules = schedules.then(async () => {
      try {
        await enqueueDueDigests(store.db, config, options.ruleTitle, now());
        if (now().getTime() - startedAt >= graceMs) await checkSilentAgents(store.db, config, now());
        await purgeDelivered(store.db, new Date(now().getTime() - KEEP_DELIVERED_DAYS * 86_400_000));
      } catch (error) {
        logger.error({ err: describeError(error) }, 'alert digest or silent-agent check failed');
      }
    });
    return schedules;
  };
  const timer = setInterval(() => void checkSchedules(), options.scheduleIntervalMs ?? 60_000);
  timer.unref();
  dispatcher.start();
  void checkSchedules();
  logger.info({ channels: [...channels.keys()], routes: config.routes.length }, 'alerts enabled');

  return {
    outbox,
    dispatcher,
    flush: () => dispatcher.flush(),
    checkSchedules,
    depth: () => outboxDepth(store.db),
    async close() {
      clearInterval(timer);
      await schedules;
      await dispatcher.stop();
      await Promise.all([...channels.values()].map((c) => c.close()));
    },
  };
}
