import { CommandNotFoundError, type CommandResult } from '../../exec.js';
import { FactError } from '../../fact.js';
import type { LinuxContext } from './context.js';

export function commandLine(program: string, args: readonly string[]): string {
  return [program, ...args].join(' ');
}

function firstLine(text: string): string {
  return text.trim().split('\n')[0]?.trim() ?? '';
}

/** Runs a command; null when the program is not installed. Throws FactError on timeout. */
export async function tryRun(c: LinuxContext, program: string, args: readonly string[]): Promise<CommandResult | null> {
  let result: CommandResult;
  try {
    result = await c.ctx.exec(program, args, { timeoutMs: c.options.timeoutMs });
  } catch (error) {
    if (error instanceof CommandNotFoundError) return null;
    throw new FactError(`${commandLine(program, args)} could not be started: ${(error as Error).message}`, commandLine(program, args));
  }
  if (result.code === null) {
    throw new FactError(`${commandLine(program, args)} timed out after ${c.options.timeoutMs} ms`, commandLine(program, args));
  }
  return result;
}

/** Describes a failed run for a reason text: the exit code and the first line of stderr. */
export function failure(program: string, args: readonly string[], result: CommandResult): string {
  const detail = firstLine(result.stderr) || firstLine(result.stdout);
  return `${commandLine(program, args)} exited with code ${result.code}${detail ? `: ${detail}` : ''}`;
}

/**
 * Runs a command that must exist and succeed (exit code in okCodes). Returns stdout.
 * A missing program is a FactError: the fact exists but could not be observed.
 */
export async function runOk(
  c: LinuxContext,
  program: string,
  args: readonly string[],
  okCodes: readonly number[] = [0],
): Promise<string> {
  const result = await tryRun(c, program, args);
  if (result === null) throw new FactError(`${program} is not installed`, commandLine(program, args));
  if (!okCodes.includes(result.code ?? -1)) throw new FactError(failure(program, args, result), commandLine(program, args));
  return result.stdout;
}

function isMissingFile(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

/** Reads a file; null when it does not exist. Other errors (permission) are rethrown. */
export async function readOptional(c: LinuxContext, path: string): Promise<string | null> {
  try {
    return await c.ctx.readFile(path);
  } catch (error) {
    if (isMissingFile(error)) return null;
    throw error;
  }
}

/** Reads a file; null when it does not exist or cannot be read (for files only root may read). */
export async function readIfReadable(c: LinuxContext, path: string): Promise<string | null> {
  try {
    return await c.ctx.readFile(path);
  } catch {
    return null;
  }
}

/** Parses `stat -c '%Y %n'` output: modification time (epoch seconds) per path. */
export function parseStatMtimes(text: string): Map<string, Date> {
  const result = new Map<string, Date>();
  for (const line of text.split('\n')) {
    const match = /^(\d+)\s+(.+)$/.exec(line.trim());
    if (match?.[1] && match[2]) result.set(match[2], new Date(Number(match[1]) * 1000));
  }
  return result;
}

/**
 * Modification times of the paths that exist, in one `stat` call. stat exits 1 when
 * some paths are missing, which is expected here.
 */
export async function statPaths(c: LinuxContext, paths: readonly string[]): Promise<Map<string, Date>> {
  if (paths.length === 0) return new Map();
  const args = ['-c', '%Y %n', '--', ...paths];
  const result = await tryRun(c, 'stat', args);
  if (result === null) throw new FactError('stat is not installed', 'stat');
  return parseStatMtimes(result.stdout);
}

/** Lists regular files in a directory matching a glob, with mtimes; empty when the directory is missing. */
export async function listFiles(c: LinuxContext, dir: string, namePatterns: readonly string[]): Promise<Map<string, Date>> {
  const nameArgs = namePatterns.flatMap((pattern, i) => (i === 0 ? ['-name', pattern] : ['-o', '-name', pattern]));
  const args = [dir, '-maxdepth', '1', '-type', 'f', '(', ...nameArgs, ')', '-printf', '%T@ %p\\n'];
  const result = await tryRun(c, 'find', args);
  if (result === null) throw new FactError('find is not installed', 'find');
  const files = new Map<string, Date>();
  for (const line of result.stdout.split('\n')) {
    const match = /^(\d+)(?:\.\d+)?\s+(.+)$/.exec(line.trim());
    if (match?.[1] && match[2]) files.set(match[2], new Date(Number(match[1]) * 1000));
  }
  return files;
}
