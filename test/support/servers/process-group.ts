import type { ChildProcess } from 'node:child_process';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export function exited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

export async function waitForExit(child: ChildProcess, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!exited(child) && Date.now() < deadline) await sleep(25);
  return exited(child);
}

/**
 * Stops a test server started with `detached: true` (its own process group): SIGTERM to the
 * whole group, SIGKILL after the grace period, and waits until it has exited, so that
 * nothing a server forked is left behind.
 */
export async function stopProcessGroup(child: ChildProcess, graceMs = 5000): Promise<void> {
  if (exited(child) || child.pid === undefined) return;
  try {
    process.kill(-child.pid, 'SIGTERM');
  } catch {
    return;
  }
  if (await waitForExit(child, graceMs)) return;
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    return;
  }
  await waitForExit(child, 5000);
}
