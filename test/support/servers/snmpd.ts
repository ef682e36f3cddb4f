import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import snmp from 'net-snmp';
import { exited, stopProcessGroup } from './process-group.js';

/**
 * Debian's snmpd on 127.0.0.1 with a private config, serving a switch fixture through
 * pass_persist (../shared/TEST-SERVERS.md §4): v2c community and a v3 authPriv user.
 */
export type FixtureRow = [oid: string, type: 'integer' | 'gauge' | 'string' | 'octet' | 'objectid' | 'ipaddress' | 'timeticks', value: string];

export interface SnmpdServer {
  host: string;
  port: number;
  dir: string;
  pid: number;
  community: string;
  v3: { user: string; auth: string; priv: string };
  /** Files holding the secrets, as the probe reads them. */
  files: { community: string; auth: string; priv: string };
  dispose(): Promise<void>;
}

const PASSPERSIST = join(import.meta.dirname, 'passpersist.py');
// Subtrees served from the fixture; -p 1 shadows snmpd's own IF-MIB and IP-MIB tables (IP-MIB per column: snmpd registers ipAddrTable columns one by one).
const SUBTREES = ['.1.3.6.1.2.1.17', '-p 1 .1.3.6.1.2.1.2.2', '-p 1 .1.3.6.1.2.1.31.1.1', '-p 1 .1.3.6.1.2.1.4.20.1.2', '-p 1 .1.3.6.1.2.1.4.20.1.3', '.1.0.8802.1.1.1', '.1.0.8802.1.1.2'];

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function answers(port: number, community: string): Promise<boolean> {
  return new Promise((resolve) => {
    const session = snmp.createSession('127.0.0.1', community, { port, retries: 0, timeout: 300, version: snmp.Version2c });
    session.on('error', () => undefined);
    session.get(['1.3.6.1.2.1.17.1.4.1.2.1'], (error) => {
      session.close();
      resolve(!error);
    });
  });
}

export async function startSnmpd(fixture: readonly FixtureRow[], options: { port?: number; sysName?: string; community?: string } = {}): Promise<SnmpdServer> {
  const dir = mkdtempSync(join(tmpdir(), 'basvakt-snmpd-'));
  const port = options.port ?? 20000 + Math.floor(Math.random() * 20000);
  const community = options.community ?? 'public';
  const v3 = { user: 'scanner', auth: 'scanner-auth-pass', priv: 'scanner-priv-pass' };
  writeFileSync(join(dir, 'switch.json'), JSON.stringify(fixture));
  mkdirSync(join(dir, 'persist'));
  const conf = [
    `agentAddress udp:127.0.0.1:${port}`,
    `rocommunity ${community} 127.0.0.1`,
    `createUser ${v3.user} SHA "${v3.auth}" AES "${v3.priv}"`,
    `rouser ${v3.user} priv`,
    `sysName ${options.sysName ?? 'sw-skola-01'}`,
    `sysDescr basvakt test switch 48 ports`,
    ...SUBTREES.map((s) => `pass_persist ${s} /usr/bin/python3 ${PASSPERSIST} ${join(dir, 'switch.json')}`),
  ];
  writeFileSync(join(dir, 'snmpd.conf'), conf.join('\n') + '\n');
  const files = { community: join(dir, 'community'), auth: join(dir, 'auth'), priv: join(dir, 'priv') };
  writeFileSync(files.community, `${community}\n`, { mode: 0o600 });
  writeFileSync(files.auth, `${v3.auth}\n`, { mode: 0o600 });
  writeFileSync(files.priv, `${v3.priv}\n`, { mode: 0o600 });
  const child: ChildProcess = spawn('snmpd', ['-f', '-C', '-c', join(dir, 'snmpd.conf'), '-Lf', join(dir, 'log'), '-p', join(dir, 'pid')], {
    env: { ...process.env, MIBS: '', SNMP_PERSISTENT_DIR: join(dir, 'persist') },
    stdio: 'ignore',
    detached: true,
  });
  const stop = (): Promise<void> => stopProcessGroup(child, 3000);
  const deadline = Date.now() + 15_000;
  for (;;) {
    if (exited(child)) {
      let log = '';
      try {
        log = readFileSync(join(dir, 'log'), 'utf8').slice(-2000);
      } catch {
        /* none */
      }
      rmSync(dir, { recursive: true, force: true });
      throw new Error(`snmpd exited: ${log}`);
    }
    if (await answers(port, community)) break;
    if (Date.now() > deadline) {
      await stop();
      rmSync(dir, { recursive: true, force: true });
      throw new Error('snmpd did not answer in time');
    }
    await sleep(100);
  }
  return {
    host: '127.0.0.1',
    port,
    dir,
    pid: child.pid!,
    community,
    v3,
    files,
    async dispose() {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
