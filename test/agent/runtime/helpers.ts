import { join } from 'node:path';
import { parseAgentConfig, type AgentConfig } from '../../../agent/config/index.js';
import { writeCredential } from '../../../agent/transport/index.js';
import { bearerToken, type AgentCredential } from '../../../report/api.js';
import { tempDir } from '../spool/reports.js';
import { ingestHandler, startTestCollector, type TestCollector } from '../transport/server.js';
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

/** What an agent test runs against: a real HTTP collector on 127.0.0.1, an enrolled credential, a config. */
export interface AgentTestbed {
  dir: string;
  server: TestCollector;
  /** How often the collector stored each report id. */
  stored: Map<string, number>;
  config: AgentConfig;
  credential: AgentCredential;
}

/** A fresh directory with agent.yaml (the host probe on `schedule`), cred.json and a running test collector. */
export async function agentTestbed(prefix: string, secret: string, schedule: string): Promise<AgentTestbed> {
  const dir = await tempDir(prefix);
  const stored = new Map<string, number>();
  const credential: AgentCredential = { collectorUrl: 'http://127.0.0.1', agentId: 'agent-1', secret, tenant: 'dals-ed', enrolledAt: '2026-11-23T04:00:00.000Z' };
  const server = await startTestCollector(ingestHandler(bearerToken(credential), stored));
  credential.collectorUrl = server.url;
  const config = parseAgentConfig(
    ['collector:', `  url: ${server.url}`, '  timeoutSeconds: 2', 'credentialFile: cred.json', 'spool:', '  directory: spool', 'probes:', '  host:', `    schedule: "${schedule}"`].join('\n'),
    join(dir, 'agent.yaml'),
  );
  await writeCredential(config.credentialFile, credential);
  return { dir, server, stored, config, credential };
}
