import { readFile } from 'node:fs/promises';
import type { Logger } from 'pino';
import { runCommand } from '../probes/exec.js';
import type { ProbeContext } from '../probes/probe.js';

/** The real surroundings of a probe; tests override any part. */
export function createProbeContext(logger: Logger, overrides: Partial<ProbeContext> = {}): ProbeContext {
  return {
    exec: runCommand,
    readFile: (path) => readFile(path, 'utf8'),
    now: () => new Date(),
    logger,
    ...overrides,
  };
}
