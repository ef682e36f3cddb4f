import type { Timers } from '../../../agent/runtime/timers.js';
import type { CronFactory } from '../../../agent/runtime/scheduler.js';

/** Timers that only fire when the test says so. */
export class ManualTimers implements Timers {
  private nextId = 1;
  readonly pending = new Map<number, { ms: number; callback: () => void }>();
  readonly history: number[] = [];

  setTimeout(callback: () => void, ms: number): unknown {
    const id = this.nextId++;
    this.pending.set(id, { ms, callback });
    this.history.push(ms);
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.pending.delete(handle as number);
  }

  /** Delays currently waiting. */
  delays(): number[] {
    return [...this.pending.values()].map((t) => t.ms);
  }

  /** Fires every waiting timer; returns their delays. */
  fireAll(): number[] {
    const due = [...this.pending.entries()];
    this.pending.clear();
    for (const [, t] of due) t.callback();
    return due.map(([, t]) => t.ms);
  }
}

/** A cron factory whose ticks the test triggers by job name. */
export class ManualCron {
  readonly tasks = new Map<string, { expression: string; tick: () => void; started: boolean; destroyed: boolean }>();

  readonly factory: CronFactory = (expression, tick, name) => {
    const task = { expression, tick, started: false, destroyed: false };
    this.tasks.set(name, task);
    return {
      start: () => {
        task.started = true;
      },
      destroy: () => {
        task.destroyed = true;
      },
    };
  };

  tick(name: string): void {
    const task = this.tasks.get(name);
    if (!task?.started || task.destroyed) throw new Error(`no running task ${name}`);
    task.tick();
  }
}

export function deferred<T = void>(): { promise: Promise<T>; resolve: (value: T) => void; reject: (error: unknown) => void } {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

export async function until(condition: () => boolean | Promise<boolean>, timeoutMs = 2_000): Promise<void> {
  const started = Date.now();
  while (!(await condition())) {
    if (Date.now() - started > timeoutMs) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 5));
  }
}
