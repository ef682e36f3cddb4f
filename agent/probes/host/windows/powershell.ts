import { CommandNotFoundError, type CommandResult } from '../../exec.js';
import { FactError } from '../../fact.js';
import type { ProbeContext } from '../../probe.js';
import { preview } from './psjson.js';

export const POWERSHELL = 'powershell.exe';
export const POWERSHELL_ARGS = ['-NoProfile', '-NonInteractive', '-ExecutionPolicy', 'Bypass', '-Command'] as const;

/**
 * Prepended to every script: errors stop the script (so a failing cmdlet gives a non-zero
 * exit instead of partial JSON), and output is UTF-8 so names with å, ä, ö survive the pipe.
 */
const PRELUDE =
  "$ErrorActionPreference='Stop';$ProgressPreference='SilentlyContinue';" +
  // Setting the console encoding throws when no console is attached (a service); harmless then.
  'try{[Console]::OutputEncoding=[Text.Encoding]::UTF8}catch{};';

export const DEFAULT_TIMEOUT_MS = 60_000;

/** A short human label for a script, used as the fact's source. */
export function powershellSource(label: string): string {
  return `powershell.exe: ${label}`;
}

export interface RunOptions {
  timeoutMs?: number;
  /** Exit codes that still carry a usable answer (w32tm exits non-zero when the service is stopped). */
  okCodes?: readonly number[];
}

/** The program itself is missing (as opposed to failing). */
export class ProgramNotFound extends FactError {
  constructor(readonly program: string, source: string) {
    super(`${program} was not found`, source);
    this.name = 'ProgramNotFound';
  }
}

async function run(ctx: ProbeContext, program: string, args: readonly string[], source: string, options: RunOptions): Promise<CommandResult> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  let result: CommandResult;
  try {
    result = await ctx.exec(program, args, { timeoutMs });
  } catch (error) {
    if (error instanceof CommandNotFoundError) throw new ProgramNotFound(program, source);
    throw new FactError(`${program} could not be started: ${(error as Error).message}`, source);
  }
  if (result.code === null) throw new FactError(`${program} did not finish within ${Math.round(timeoutMs / 1000)} s`, source);
  const ok = options.okCodes ?? [0];
  if (!ok.includes(result.code)) {
    const detail = preview(result.stderr.trim() || result.stdout.trim() || 'no output', 300);
    throw new FactError(`${program} exited with code ${result.code}: ${detail}`, source);
  }
  return result;
}

/** Runs a PowerShell script and returns what it printed. */
export async function runPowerShell(ctx: ProbeContext, script: string, source: string, options: RunOptions = {}): Promise<string> {
  const result = await run(ctx, POWERSHELL, [...POWERSHELL_ARGS, PRELUDE + script], source, options);
  return result.stdout;
}

/** Runs a native Windows program (w32tm, netstat, manage-bde, net). */
export async function runNative(ctx: ProbeContext, program: string, args: readonly string[], source: string, options: RunOptions = {}): Promise<CommandResult> {
  return run(ctx, program, args, source, options);
}

/** Wraps a parser so that what it throws becomes a FactError naming the source. */
export function parseOrFail<T>(source: string, parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    if (error instanceof FactError) throw error;
    throw new FactError(`could not read the output: ${(error as Error).message}`, source);
  }
}

/**
 * Runs the primary way of reading a fact and, when it fails, the fallback. When both fail,
 * the error names both reasons. `onBothFailed` may turn that into something else (for
 * example an UnsupportedFact when the fallback program does not exist).
 */
export async function withFallback<T>(
  source: string,
  primary: () => Promise<T>,
  fallback: () => Promise<T>,
  onBothFailed?: (primaryError: FactError, fallbackError: FactError) => Error | undefined,
): Promise<T> {
  try {
    return await primary();
  } catch (error) {
    if (!(error instanceof FactError)) throw error;
    try {
      return await fallback();
    } catch (second) {
      if (!(second instanceof FactError)) throw second;
      throw onBothFailed?.(error, second) ?? new FactError(`${error.message}; fallback: ${second.message}`, source);
    }
  }
}
