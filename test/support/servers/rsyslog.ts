import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect as netConnect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect as tlsConnect } from 'node:tls';
import { freePort } from './ports.js';
import { stopGroup } from './smtp.js';

/**
 * A real rsyslogd in the foreground with a private config: imtcp on 127.0.0.1, one plain
 * TCP port and one TLS port (gtls driver, anonymous client auth). No imuxsock, so nothing
 * touches /dev/log or /var. Each message is written twice: the raw message as it came off
 * the wire (%rawmsg%), and the fields rsyslog parsed from it.
 */
export interface ReceivedSyslog {
  input: string;
  raw: string;
}

export interface ParsedSyslog {
  input: string;
  pri: string;
  hostname: string;
  appName: string;
  procId: string;
  msgId: string;
  structuredData: string;
  msg: string;
}

export interface RsyslogServer {
  tcpPort: number;
  tlsPort: number;
  raw(): ReceivedSyslog[];
  parsed(): ParsedSyslog[];
  stop(): Promise<void>;
}

const SEP = '\u001f';

/** rsyslog's GnuTLS driver (Debian's rsyslog-gnutls), wherever the multiarch folder is. */
export function gtlsDriver(): string {
  for (const arch of existsSync('/usr/lib') ? readdirSync('/usr/lib') : []) {
    const path = join('/usr/lib', arch, 'rsyslog', 'lmnsd_gtls.so');
    if (existsSync(path)) return path;
  }
  return '/usr/lib/x86_64-linux-gnu/rsyslog/lmnsd_gtls.so';
}

export async function startRsyslog(tls: { caFile: string; certFile: string; keyFile: string }): Promise<RsyslogServer> {
  const dir = mkdtempSync(join(tmpdir(), 'basvakt-rsyslog-'));
  mkdirSync(join(dir, 'work'));
  const tcpPort = await freePort();
  const tlsPort = await freePort();
  const rawFile = join(dir, 'raw.log');
  const fieldsFile = join(dir, 'fields.log');
  const conf = join(dir, 'rsyslog.conf');
  writeFileSync(
    conf,
    `global(workDirectory="${dir}/work" defaultNetstreamDriverCAFile="${tls.caFile}"
       defaultNetstreamDriverCertFile="${tls.certFile}" defaultNetstreamDriverKeyFile="${tls.keyFile}"
       parser.escapeControlCharactersOnReceive="off")
module(load="imtcp")
template(name="raw" type="string" string="%inputname%${SEP}%rawmsg%\\n")
template(name="fields" type="string" string="%inputname%${SEP}%pri-text%${SEP}%hostname%${SEP}%app-name%${SEP}%procid%${SEP}%msgid%${SEP}%structured-data%${SEP}%msg%\\n")
ruleset(name="remote") {
  action(type="omfile" file="${rawFile}" template="raw")
  action(type="omfile" file="${fieldsFile}" template="fields")
}
input(type="imtcp" address="127.0.0.1" port="${tcpPort}" ruleset="remote" name="tcp")
input(type="imtcp" address="127.0.0.1" port="${tlsPort}" ruleset="remote" name="tls"
      streamDriver.name="gtls" streamDriver.mode="1" streamDriver.authMode="anon" gnutlsPriorityString="NORMAL")
`,
  );
  execFileSync('rsyslogd', ['-N1', '-f', conf], { stdio: ['ignore', 'ignore', 'pipe'] });
  const child = spawn('rsyslogd', ['-n', '-f', conf, '-i', join(dir, 'rsyslogd.pid')], { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  try {
    await until(() => canConnect(tcpPort), `rsyslog tcp port ${tcpPort}: ${output}`);
    await until(() => canHandshake(tlsPort, readFileSync(tls.caFile)), `rsyslog tls port ${tlsPort}: ${output}`);
  } catch (error) {
    await stopGroup(child);
    throw error;
  }
  const lines = (file: string) => (existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => l.split(SEP)) : []);
  return {
    tcpPort,
    tlsPort,
    raw: () => lines(rawFile).map(([input = '', ...rest]) => ({ input, raw: rest.join(SEP) })),
    parsed: () =>
      lines(fieldsFile).map(([input = '', pri = '', hostname = '', appName = '', procId = '', msgId = '', structuredData = '', ...msg]) => ({
        input,
        pri,
        hostname,
        appName,
        procId,
        msgId,
        structuredData,
        msg: msg.join(SEP),
      })),
    async stop() {
      await stopGroup(child);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function until(check: () => Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`not ready: ${what}`);
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = netConnect({ host: '127.0.0.1', port }, () => {
      s.end();
      resolve(true);
    });
    s.on('error', () => resolve(false));
  });
}

function canHandshake(port: number, ca: Buffer): Promise<boolean> {
  return new Promise((resolve) => {
    const s = tlsConnect({ host: '127.0.0.1', port, ca }, () => {
      s.end();
      resolve(true);
    });
    s.on('error', () => resolve(false));
  });
}
