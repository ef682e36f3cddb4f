import { hostname as osHostname } from 'node:os';
import type { Logger } from 'pino';
import type { AgentConfig } from '../config/schema.js';
import type { Probe, ProbeContext } from '../probes/probe.js';
import { Spool } from '../spool/spool.js';
import { createCollectorClient, type CollectorClient } from '../transport/client.js';
import type { BackoffOptions } from './backoff.js';
import { probeRun } from './collect.js';
import { createProbeContext } from './context.js';
import { CredentialSource } from './credential-source.js';
import { Scheduler, type CronFactory, type Job } from './scheduler.js';
import { Sender } from './sender.js';
import type { Timers } from './timers.js';

type SignalName = 'SIGTERM' | 'SIGINT';

export interface SignalSource {
  on(signal: SignalName, listener: () => void): unknown;
  off(signal: SignalName, listener: () => void): unknown;
}

export interface AgentDeps {
  logger: Logger;
  /** The agent's own version, reported in every report. */
  version: string;
  hostname?: string;
  /** Defaults to a client built from config.collector (and closed at stop). */
  client?: Pick<CollectorClient, 'sendReport'>;
  /** Defaults to a spool opened at config.spool.directory. */
  spool?: Spool;
  context?: Partial<ProbeContext>;
  cron?: CronFactory;
  timers?: Timers;
  backoff?: BackoffOptions;
  /** Where SIGTERM/SIGINT come from; `false` installs no handlers. Defaults to process. */
  signals?: SignalSource | false;
  /** How long stop() waits for running probes. */
  stopGraceMs?: number;
}

export interface AgentHandle {
  readonly spool: Spool;
  readonly sender: Sender;
  readonly scheduler: Scheduler;
  /** Runs one probe now (as `basvakt agent --now` might); false if it is busy or unknown. */
  runProbe(name: string): Promise<boolean>;
  /** Graceful: no new runs, running probes get a grace period, the send in flight completes. */
  stop(): Promise<void>;
  /** Resolves once stop() has finished, whoever called it (a signal, or the caller). */
  readonly stopped: Promise<void>;
}

/**
 * Starts the agent daemon: schedules the enabled probes, drains whatever an earlier run
 * left in the spool, and keeps sending as reports arrive. Fails fast only on what a
 * person must fix before anything can work (no credential, unreadable CA file).
 */
export async function runAgent(config: AgentConfig, probes: readonly Probe[], deps: AgentDeps): Promise<AgentHandle> {
  const logger = deps.logger;
  const credentials = new CredentialSource(config.credentialFile, logger);
  const first = await credentials.get();
  warnAboutCollectorUrl(config, first.collectorUrl, logger);

  const spool = deps.spool ?? (await Spool.open({ ...config.spool, logger: logger.child({ component: 'spool' }) }));
  const ownClient = deps.client ? undefined : await createCollectorClient(config.collector, { userAgent: `basvakt-agent/${deps.version}`, logger: logger.child({ component: 'transport' }) });
  const client = deps.client ?? ownClient!;
  const sender = new Sender({
    spool,
    client,
    credential: () => credentials.get(),
    logger: logger.child({ component: 'sender' }),
    ...(deps.timers ? { timers: deps.timers } : {}),
    ...(deps.backoff ? { backoff: deps.backoff } : {}),
  });

  const context = createProbeContext(logger, deps.context);
  const hostname = deps.hostname ?? osHostname();
  const jobs: Job[] = [];
  const settings = config.probes as Record<string, { enabled: boolean; schedule: string } | undefined>;
  for (const probe of probes) {
    const setting = settings[probe.name];
    if (!setting) {
      logger.warn({ probe: probe.name }, `Proben ${probe.name} saknar inställning under probes i konfigurationen och körs inte (no config, not scheduled)`);
      continue;
    }
    if (!setting.enabled) {
      logger.info({ probe: probe.name }, `Proben ${probe.name} är avstängd (disabled)`);
      continue;
    }
    jobs.push({
      name: probe.name,
      schedule: setting.schedule,
      run: probeRun(probe, { spool, sender, credential: () => credentials.get(), version: deps.version, hostname, context, logger }),
    });
  }
  const scheduler = new Scheduler({ jobs, logger: logger.child({ component: 'scheduler' }), ...(deps.cron ? { cron: deps.cron } : {}) });
  scheduler.start();
  sender.trigger();
  logger.info(
    { agentId: first.agentId, tenant: first.tenant, collector: config.collector.url, probes: jobs.map((j) => j.name), pending: spool.usage().pending },
    'basvakt-agenten har startat (agent started)',
  );

  let resolveStopped!: () => void;
  const stopped = new Promise<void>((resolve) => {
    resolveStopped = resolve;
  });
  let stopping: Promise<void> | undefined;
  const signals = deps.signals === undefined ? process : deps.signals;
  const onSignal = () => {
    if (stopping) {
      logger.warn('Avslutar redan; väntar på pågående sändning (already stopping)');
      return;
    }
    logger.info('Signal mottagen, avslutar (signal received, stopping)');
    void stop();
  };

  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      if (signals) {
        signals.off('SIGTERM', onSignal);
        signals.off('SIGINT', onSignal);
      }
      await scheduler.stop(deps.stopGraceMs);
      await sender.stop();
      ownClient?.close();
      logger.info({ pending: spool.usage().pending }, 'basvakt-agenten har stannat (agent stopped)');
      logger.flush?.();
      resolveStopped();
    })();
    return stopping;
  };

  if (signals) {
    signals.on('SIGTERM', onSignal);
    signals.on('SIGINT', onSignal);
  }

  return { spool, sender, scheduler, runProbe: (name) => scheduler.runNow(name), stop, stopped };
}

function warnAboutCollectorUrl(config: AgentConfig, enrolledWith: string, logger: Logger): void {
  const url = new URL(config.collector.url);
  if (url.protocol === 'http:' && !['localhost', '127.0.0.1', '[::1]'].includes(url.hostname)) {
    logger.warn({ collector: config.collector.url }, 'collector.url använder http:// — agentens inloggning skickas okrypterad; använd https:// (credential sent in clear)');
  }
  if (enrolledWith.replace(/\/+$/, '') !== config.collector.url) {
    logger.warn(
      { collector: config.collector.url, enrolledWith },
      'Agenten registrerades mot en annan adress än collector.url; om insamlaren inte känner igen agenten, registrera den på nytt (credential issued for another URL)',
    );
  }
}
