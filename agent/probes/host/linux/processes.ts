import { FactError } from '../../fact.js';
import type { LinuxContext } from './context.js';
import { tryRun } from './run.js';

export interface ProcessInfo {
  pid: number;
  /** Kernel command name (comm), at most 15 characters on most kernels. */
  name: string;
}

export const PS_ARGS = ['-e', '-o', 'pid=,comm='] as const;

/** Parses `ps -e -o pid=,comm=`. */
export function parsePs(text: string): ProcessInfo[] {
  const processes: ProcessInfo[] = [];
  for (const line of text.split('\n')) {
    const match = /^\s*(\d+)\s+(.+?)\s*$/.exec(line);
    if (match?.[1] && match[2]) processes.push({ pid: Number(match[1]), name: match[2] });
  }
  return processes;
}

export async function listProcesses(c: LinuxContext): Promise<ProcessInfo[]> {
  const result = await tryRun(c, 'ps', PS_ARGS);
  if (result === null) throw new FactError('ps is not installed, so running services cannot be seen', 'ps');
  if (result.code !== 0) throw new FactError(`ps -e exited with code ${result.code}`, 'ps -e -o pid=,comm=');
  const processes = parsePs(result.stdout);
  if (processes.length === 0) throw new FactError('ps -e listed no processes', 'ps -e -o pid=,comm=');
  return processes;
}

/** Process names are matched exactly; comm is truncated to 15 characters by the kernel. */
export function isRunning(processes: readonly ProcessInfo[], name: string): boolean {
  const comm = name.slice(0, 15);
  return processes.some((p) => p.name === comm || p.name === name);
}
