import cron from 'node-cron';
import type { Logger } from 'pino';
import { silentLogger } from '../../common/logger.js';

export interface Job {
  name: string;
  /** Five-field cron expression, already validated by the config loader. */
  schedule: string;
  run: () => Promise<void>;
}

export interface CronTask {
  start(): unknown;
  destroy(): unknown;
}

/** Creates a stopped cron task; node-cron in production, a hand-driven fake in tests. */
export type CronFactory = (expression: string, tick: () => void, name: string, logger: Logger) => CronTask;

export const nodeCronFactory: CronFactory = (expression, tick, name, logger) =>
  cron.createTask(expression, tick, {
    name,
    logger: {
      info: (message) => logger.debug(message),
      warn: (message) => logger.warn(message),
      error: (message, err) => logger.error({ err: err ?? message }, 'node-cron'),
      debug: (message) => logger.debug(String(message)),
    },
  });

export interface SchedulerOptions {
  jobs: Job[];
  logger?: Logger;
  cron?: CronFactory;
}

/**
 * Runs each job on its cron schedule. A job never overlaps itself: a tick that comes
 * while the previous run is busy is skipped and logged. A failing run is logged and
 * the schedule carries on.
 */
export class Scheduler {
  private readonly running = new Map<string, Promise<void>>();
  private readonly tasks: CronTask[] = [];
  private readonly logger: Logger;
  private stopped = false;

  constructor(private readonly options: SchedulerOptions) {
    this.logger = options.logger ?? silentLogger;
  }

  start(): void {
    if (this.tasks.length > 0 || this.stopped) return;
    const factory = this.options.cron ?? nodeCronFactory;
    for (const job of this.options.jobs) {
      const task = factory(job.schedule, () => void this.runNow(job.name), job.name, this.logger.child({ job: job.name }));
      this.tasks.push(task);
      task.start();
      this.logger.info({ job: job.name, schedule: job.schedule }, `Schemalagd: ${job.name} (${job.schedule}) (scheduled)`);
    }
  }

  isRunning(name: string): boolean {
    return this.running.has(name);
  }

  /** Runs a job now unless it is already running. Resolves true when it ran; never rejects. */
  async runNow(name: string): Promise<boolean> {
    const job = this.options.jobs.find((j) => j.name === name);
    if (!job || this.stopped) return false;
    if (this.running.has(name)) {
      this.logger.warn({ job: name }, `Hoppar över ${name}: föregående körning pågår fortfarande (previous run still busy, skipped)`);
      return false;
    }
    const run = (async () => {
      try {
        await job.run();
      } catch (error) {
        this.logger.error({ err: error, job: name }, `Körningen av ${name} misslyckades (run failed)`);
      }
    })();
    this.running.set(name, run);
    try {
      await run;
    } finally {
      this.running.delete(name);
    }
    return true;
  }

  /**
   * Stops all schedules, then waits up to `graceMs` for running jobs. A job still busy
   * after that is left to finish on its own; it can only add a report to the spool.
   */
  async stop(graceMs = 30_000): Promise<void> {
    this.stopped = true;
    for (const task of this.tasks.splice(0)) await task.destroy();
    const busy = [...this.running.values()];
    if (busy.length === 0) return;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), graceMs);
    });
    const outcome = await Promise.race([Promise.all(busy).then(() => 'done' as const), timeout]);
    clearTimeout(timer);
    if (outcome === 'timeout') {
      this.logger.warn({ jobs: [...this.running.keys()] }, 'Avslutar medan prober fortfarande kör (stopping with probes still running)');
    }
  }
}
