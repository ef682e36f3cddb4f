import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Target } from '../../report/schema.js';
import type { ProbeName, ProbeOptions } from './catalogue.js';
import type { Probe } from './probe.js';

const WORKER = fileURLToPath(new URL('./worker.js', import.meta.url));
const MAX_OUTPUT_BYTES = 64 * 1024 * 1024;

export class ProbeWorkerError extends Error {
  constructor(probe: string, detail: string) {
    super(`proben ${probe} kunde inte köras: ${detail} (probe worker failed)`);
    this.name = 'ProbeWorkerError';
  }
}

/**
 * A probe that runs in a child process. The daemon stays small while idle (probe code,
 * systeminformation and scan buffers live only for the length of a run), and a probe that
 * hangs or crashes is killed at its deadline without taking the daemon with it.
 */
export function isolatedProbe(name: ProbeName, options: ProbeOptions, timeoutMs = 300_000): Probe {
  return {
    name,
    collect: (context) =>
      new Promise<Target[]>((resolve, reject) => {
        const child = spawn(process.execPath, [WORKER, JSON.stringify({ probe: name, options })], {
          stdio: ['ignore', 'pipe', 'pipe'],
          env: { ...process.env, BASVAKT_LOG_LEVEL: context.logger.level },
        });
        const chunks: Buffer[] = [];
        let bytes = 0;
        let stderr = '';
        const fail = (detail: string) => {
          child.kill('SIGKILL');
          reject(new ProbeWorkerError(name, detail));
        };
        const timer = setTimeout(() => fail(`tog längre än ${Math.round(timeoutMs / 1000)} s (timed out)`), timeoutMs);
        child.stdout.on('data', (chunk: Buffer) => {
          bytes += chunk.length;
          if (bytes > MAX_OUTPUT_BYTES) fail(`mer än ${MAX_OUTPUT_BYTES} byte utdata (too much output)`);
          else chunks.push(chunk);
        });
        child.stderr.setEncoding('utf8').on('data', (text: string) => {
          stderr = (stderr + text).slice(-8192);
          for (const line of text.split('\n').filter(Boolean)) context.logger.debug({ worker: name }, line);
        });
        child.on('error', (error) => fail(error.message));
        child.on('close', (code, signal) => {
          clearTimeout(timer);
          if (code !== 0) return fail(`avslutades med ${signal ?? `kod ${code}`}: ${stderr.trim().split('\n').slice(-3).join(' | ')}`);
          try {
            resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')) as Target[]);
          } catch (error) {
            fail(`ogiltig utdata: ${(error as Error).message}`);
          }
        });
      }),
  };
}
