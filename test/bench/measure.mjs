// Shared helpers for the benchmarks: run a command under GNU time and read its figures.
import { spawn, execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

export const GNU_TIME = '/usr/bin/time';

/** Makes sure a Debian package is installed (GNU time, lynis); false when that is impossible. */
export function ensurePackages(...packages) {
  try {
    execFileSync('bash', [new URL('../../scripts/apt-install.sh', import.meta.url).pathname, ...packages], { stdio: 'inherit' });
    return true;
  } catch {
    return false;
  }
}

/** Runs a command once; returns wall and CPU seconds and peak RSS in MB as GNU time saw them. */
export function timed(command, args, { env, cwd, timeoutMs = 300_000 } = {}) {
  if (!existsSync(GNU_TIME)) throw new Error(`${GNU_TIME} missing (apt-get install time)`);
  return new Promise((resolve, reject) => {
    const child = spawn(GNU_TIME, ['-f', 'BENCH %e %U %S %M', command, ...args], { env: { ...process.env, ...env }, cwd, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      const line = stderr.split('\n').reverse().find((l) => l.startsWith('BENCH '));
      if (!line) return reject(new Error(`no timing from ${command} (exit ${code}):\n${stderr.slice(-2000)}`));
      const [, wall, user, sys, rssKb] = line.split(' ').map(Number);
      resolve({ exitCode: code, wallSeconds: wall, cpuSeconds: +(user + sys).toFixed(3), peakRssMb: +(rssKb / 1024).toFixed(1) });
    });
  });
}

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : +((sorted[mid - 1] + sorted[mid]) / 2).toFixed(3);
}

export function summarize(runs) {
  return {
    runs: runs.length,
    wallSeconds: { median: median(runs.map((r) => r.wallSeconds)), max: Math.max(...runs.map((r) => r.wallSeconds)) },
    cpuSeconds: { median: median(runs.map((r) => r.cpuSeconds)), max: Math.max(...runs.map((r) => r.cpuSeconds)) },
    peakRssMb: { median: median(runs.map((r) => r.peakRssMb)), max: Math.max(...runs.map((r) => r.peakRssMb)) },
  };
}
