// Agent idle memory: a real collector and an enrolled `basvakt agent` whose schedule does
// not fire; RSS is read from /proc after start-up has settled.
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { CLI } from './paths.mjs';

const TARGET_MB = 60;

function startProcess(args, pattern) {
  const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, BASVAKT_LANG: 'en' } });
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${args[0]} did not start:\n${output}`)), 20_000);
    const onData = (d) => {
      output += d;
      const match = pattern.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve({ child, match });
      }
    };
    child.stdout.setEncoding('utf8').on('data', onData);
    child.stderr.setEncoding('utf8').on('data', onData);
    child.on('exit', (code) => reject(new Error(`${args[0]} exited ${code}:\n${output}`)));
  });
}

async function rssMb(pid) {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kb = (name) => Number(new RegExp(`${name}:\\s+(\\d+)`).exec(status)?.[1] ?? NaN);
  return { rssMb: +(kb('VmRSS') / 1024).toFixed(1), peakRssMb: +(kb('VmHWM') / 1024).toFixed(1) };
}

function run(args) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (d) => (out += d));
    child.stderr.setEncoding('utf8').on('data', (d) => (err += d));
    child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`${args.join(' ')}: ${err}`))));
  });
}

/**
 * V8 shrinks the heap once a process has been idle for about ten seconds, so RSS is
 * sampled at 5 s (just started) and after settleSeconds (idle, the figure that matters).
 */
export async function benchAgentIdle({ settleSeconds = 20 } = {}) {
  const dir = await mkdtemp(join(tmpdir(), 'basvakt-bench-'));
  const collectorConfig = join(dir, 'collector.yaml');
  await writeFile(collectorConfig, 'listen: { host: 127.0.0.1, port: 0 }\ndatabase: { driver: sqlite, path: collector.db }\nlog: { level: warn }\n');
  await run(['tenant', 'add', 'bench', '--name', 'Bench', '--config', collectorConfig]);
  await writeFile(join(dir, 'token'), await run(['token', 'create', '--tenant', 'bench', '--config', collectorConfig]));
  const collector = await startProcess(['collector', '--config', collectorConfig], /Collector listening on (\S+)/);
  let agent;
  try {
    const agentConfig = join(dir, 'agent.yaml');
    await writeFile(
      agentConfig,
      `collector: { url: ${collector.match[1]} }\ncredentialFile: credential.json\nspool: { directory: spool }\nprobes:\n  host: { schedule: "0 0 1 1 *" }\nlog: { level: info }\n`,
    );
    await run(['enroll', '--config', agentConfig, '--token-file', join(dir, 'token')]);
    agent = await startProcess(['agent', '--config', agentConfig], /"msg":"[^"]*"/);
    await sleep(5000);
    const early = await rssMb(agent.child.pid);
    await sleep((settleSeconds - 5) * 1000);
    const memory = await rssMb(agent.child.pid);
    return { settleSeconds, rssAt5sMb: early.rssMb, ...memory, targetMb: TARGET_MB, meetsTarget: memory.rssMb <= TARGET_MB };
  } finally {
    agent?.child.kill('SIGTERM');
    collector.child.kill('SIGTERM');
    await sleep(500);
    await rm(dir, { recursive: true, force: true });
  }
}
