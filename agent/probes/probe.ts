import type { Logger } from 'pino';
import type { Target } from '../../report/schema.js';
import type { CommandRunner } from './exec.js';

/** What a probe may use from its surroundings; tests replace any of it. */
export interface ProbeContext {
  exec: CommandRunner;
  readFile: (path: string) => Promise<string>;
  now: () => Date;
  logger: Logger;
}

/** A probe observes one kind of target and reports facts, never verdicts. */
export interface Probe {
  readonly name: string;
  collect(context: ProbeContext): Promise<Target[]>;
}
