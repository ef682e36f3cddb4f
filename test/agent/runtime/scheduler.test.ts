import { describe, expect, it } from 'vitest';
import { Scheduler, nodeCronFactory } from '../../../agent/runtime/scheduler.js';
import { silentLogger } from '../../../common/logger.js';
import { captureLogger } from '../transport/logs.js';
import { ManualCron, deferred, until } from './helpers.js';

describe('Scheduler', () => {
  it('runs a job on each tick of its schedule', async () => {
    const cron = new ManualCron();
    let runs = 0;
    const scheduler = new Scheduler({ jobs: [{ name: 'host', schedule: '*/30 * * * *', run: async () => void (runs += 1) }], cron: cron.factory, logger: silentLogger });
    scheduler.start();
    expect(cron.tasks.get('host')).toMatchObject({ expression: '*/30 * * * *', started: true });
    cron.tick('host');
    await until(() => runs === 1 && !scheduler.isRunning('host'));
    cron.tick('host');
    await until(() => runs === 2);
    await scheduler.stop();
    expect(cron.tasks.get('host')!.destroyed).toBe(true);
  });

  it('never overlaps a job with itself: a tick during a run is skipped and logged', async () => {
    const cron = new ManualCron();
    const logs = captureLogger();
    const gate = deferred();
    let runs = 0;
    const scheduler = new Scheduler({
      jobs: [
        {
          name: 'host',
          schedule: '* * * * *',
          run: async () => {
            runs += 1;
            await gate.promise;
          },
        },
      ],
      cron: cron.factory,
      logger: logs.logger,
    });
    scheduler.start();
    cron.tick('host');
    await until(() => scheduler.isRunning('host'));
    expect(await scheduler.runNow('host')).toBe(false);
    cron.tick('host');
    expect(runs).toBe(1);
    expect(logs.text()).toContain('föregående körning pågår fortfarande');
    gate.resolve();
    await until(() => !scheduler.isRunning('host'));
    expect(await scheduler.runNow('host')).toBe(true);
    expect(runs).toBe(2);
    await scheduler.stop();
  });

  it('logs a failing run and keeps the schedule; other jobs are unaffected', async () => {
    const cron = new ManualCron();
    const logs = captureLogger();
    let other = 0;
    let attempts = 0;
    const scheduler = new Scheduler({
      jobs: [
        {
          name: 'host',
          schedule: '* * * * *',
          run: async () => {
            attempts += 1;
            throw new Error('clamd svarar inte');
          },
        },
        { name: 'web', schedule: '* * * * *', run: async () => void (other += 1) },
      ],
      cron: cron.factory,
      logger: logs.logger,
    });
    scheduler.start();
    expect(await scheduler.runNow('host')).toBe(true);
    cron.tick('host');
    cron.tick('web');
    await until(() => attempts === 2 && other === 1 && !scheduler.isRunning('host'));
    expect(logs.text()).toContain('clamd svarar inte');
    expect(logs.text()).toContain('Körningen av host misslyckades');
    await scheduler.stop();
  });

  it('stop() waits for a running job within the grace period, then gives up on it', async () => {
    const cron = new ManualCron();
    const gate = deferred();
    let finished = false;
    const scheduler = new Scheduler({
      jobs: [
        {
          name: 'slow',
          schedule: '* * * * *',
          run: async () => {
            await gate.promise;
            finished = true;
          },
        },
      ],
      cron: cron.factory,
    });
    scheduler.start();
    cron.tick('slow');
    const stopping = scheduler.stop(5_000);
    setTimeout(() => gate.resolve(), 20);
    await stopping;
    expect(finished).toBe(true);
    expect(await scheduler.runNow('slow')).toBe(false); // stopped

    const stuck = new Scheduler({ jobs: [{ name: 'stuck', schedule: '* * * * *', run: () => new Promise<void>(() => undefined) }], cron: new ManualCron().factory });
    stuck.start();
    void stuck.runNow('stuck');
    const started = Date.now();
    await stuck.stop(30);
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('drives a real node-cron task', async () => {
    let ticks = 0;
    // Six fields (every second) only here, to keep the test short; the config allows five.
    const task = nodeCronFactory('* * * * * *', () => void (ticks += 1), 'test', silentLogger);
    await task.start();
    try {
      await until(() => ticks >= 1, 2_500);
    } finally {
      await task.destroy();
    }
    const after = ticks;
    await new Promise((r) => setTimeout(r, 1_100));
    expect(ticks).toBe(after);
  });
});
