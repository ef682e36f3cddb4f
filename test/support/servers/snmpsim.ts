import { spawn, type ChildProcess } from 'node:child_process';
import { chownSync, copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import snmp from 'net-snmp';
import { stopProcessGroup } from './process-group.js';

/**
 * Debian's snmpsimd serving a folder of .snmprec recordings on 127.0.0.1; the community
 * selects the recording (its base name). Runs as nobody, as snmpsimd insists.
 */
export interface SnmpsimServer {
  host: string;
  port: number;
  dir: string;
  pid: number;
  dispose(): Promise<void>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function answers(port: number, community: string): Promise<boolean> {
  return new Promise((resolve) => {
    const session = snmp.createSession('127.0.0.1', community, { port, retries: 0, timeout: 300, version: snmp.Version2c });
    session.on('error', () => undefined);
    session.get(['1.3.6.1.2.1.1.1.0'], (error) => {
      session.close();
      resolve(!error);
    });
  });
}

export async function startSnmpsim(recordings: { file: string; community?: string }[], options: { port?: number; readyTimeoutMs?: number } = {}): Promise<SnmpsimServer> {
  const dir = mkdtempSync(join(tmpdir(), 'basvakt-snmpsim-'));
  const data = join(dir, 'data');
  mkdirSync(data);
  mkdirSync(join(dir, 'cache'));
  for (const r of recordings) copyFileSync(r.file, join(data, `${r.community ?? r.file.split('/').pop()!.replace(/\.snmprec$/, '')}.snmprec`));
  const chownAll = (p: string) => {
    chownSync(p, 65534, 65534);
    for (const e of readdirSync(p, { withFileTypes: true })) (e.isDirectory() ? chownAll : (f: string) => chownSync(f, 65534, 65534))(join(p, e.name));
  };
  chownAll(dir);
  const port = options.port ?? 20000 + Math.floor(Math.random() * 20000);
  const child: ChildProcess = spawn(
    'snmpsimd',
    [`--data-dir=${data}`, `--cache-dir=${join(dir, 'cache')}`, `--agent-udpv4-endpoint=127.0.0.1:${port}`, '--v2c-arch', '--process-user=nobody', '--process-group=nogroup', `--logging-method=file:${join(dir, 'snmpsimd.log')}`],
    { stdio: 'ignore', detached: true },
  );
  const probe = recordings[0]?.community ?? recordings[0]?.file.split('/').pop()!.replace(/\.snmprec$/, '') ?? 'public';
  const deadline = Date.now() + (options.readyTimeoutMs ?? 30_000);
  const stop = (): Promise<void> => stopProcessGroup(child, 2500);
  for (;;) {
    if (child.exitCode !== null) {
      let log = '';
      try {
        log = readFileSync(join(dir, 'snmpsimd.log'), 'utf8').slice(-2000);
      } catch {
        /* no log */
      }
      rmSync(dir, { recursive: true, force: true });
      throw new Error(`snmpsimd exited with ${child.exitCode}: ${log}`);
    }
    if (await answers(port, probe)) break;
    if (Date.now() > deadline) {
      await stop();
      rmSync(dir, { recursive: true, force: true });
      throw new Error('snmpsimd did not answer in time');
    }
    await sleep(200);
  }
  return {
    host: '127.0.0.1',
    port,
    dir,
    pid: child.pid!,
    async dispose() {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
