import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { queryClamd, type ClamdEndpoint } from '../../../agent/probes/host/linux/clamd-client.js';
import { exited, stopProcessGroup } from './process-group.js';

/**
 * A private clamd for tests: its own config, database, sockets and log in a temp dir,
 * listening on 127.0.0.1 only. Never runs freshclam; the signatures are written here.
 *
 * The database is an unsigned container (`daily.cud`): a 512-byte `ClamAV-VDB:` header
 * followed by a tar holding `.info` (the same header line plus name:size:sha256 of each
 * file) and one .ndb signature. clamd 1.4 refuses an unsigned .cld/.cvd ("Digital
 * signature not found") but loads .cud, and because the name starts with "daily." it
 * reports the header's version and build time in its VERSION reply, so the probe sees a
 * real signature age.
 */

export const MARKER_SIGNATURE = 'Kommun.Test.Marker';
export const MARKER_TEXT = 'KOMMUN-CLAMAV-TEST-MARKER-0001';

export interface SignatureDatabase {
  /** Build time written into the header (second precision). */
  buildTime: Date;
  version: number;
}

export interface ClamdServer {
  dir: string;
  configFile: string;
  databaseDir: string;
  socket: string;
  tcp: { host: string; port: number };
  pid: number;
  database: SignatureDatabase | null;
  /** Stops clamd (its process group) and waits for it to exit; the temp dir stays until dispose(). */
  stop(): Promise<void>;
  /** Stops clamd if running and deletes the temp dir. */
  dispose(): Promise<void>;
}

export interface ClamdOptions {
  port?: number;
  /** The signature database to generate; null leaves the database directory empty. */
  database?: SignatureDatabase | null;
  readyTimeoutMs?: number;
}

function headerTime(date: Date): string {
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${pad(date.getUTCDate())} ${months[date.getUTCMonth()]} ${date.getUTCFullYear()} ${pad(date.getUTCHours())}-${pad(date.getUTCMinutes())} +0000`;
}

/** Writes `daily.cud` with one .ndb signature into databaseDir. */
export function writeSignatureDatabase(databaseDir: string, database: SignatureDatabase): string {
  const stime = Math.floor(database.buildTime.getTime() / 1000);
  const header = `ClamAV-VDB:${headerTime(database.buildTime)}:${database.version}:1:90:X:X:basvakt-test:${stime}`;
  const work = mkdtempSync(join(tmpdir(), 'basvakt-cud-'));
  try {
    const ndb = `${MARKER_SIGNATURE}:0:*:${Buffer.from(MARKER_TEXT).toString('hex')}\n`;
    writeFileSync(join(work, 'test.ndb'), ndb);
    const sha256 = createHash('sha256').update(ndb).digest('hex');
    writeFileSync(join(work, '.info'), `${header}\ntest.ndb:${Buffer.byteLength(ndb)}:${sha256}\n`);
    // .info must come first: clamd reads it before the files it describes.
    execFileSync('tar', ['-cf', join(work, 'body.tar'), '-C', work, '.info', 'test.ndb']);
    const path = join(databaseDir, 'daily.cud');
    writeFileSync(path, Buffer.concat([Buffer.from(header.padEnd(512, ' ')), readFileSync(join(work, 'body.tar'))]));
    return path;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));


export async function startClamd(options: ClamdOptions = {}): Promise<ClamdServer> {
  const port = options.port ?? 13310;
  const dir = mkdtempSync(join(tmpdir(), 'basvakt-clamd-'));
  const databaseDir = join(dir, 'db');
  mkdirSync(databaseDir);
  const database = options.database === undefined ? { buildTime: new Date(), version: 27456 } : options.database;
  if (database) writeSignatureDatabase(databaseDir, database);
  const socket = join(dir, 'clamd.sock');
  const configFile = join(dir, 'clamd.conf');
  const logFile = join(dir, 'clamd.log');
  writeFileSync(
    configFile,
    [
      `DatabaseDirectory ${databaseDir}`,
      `LocalSocket ${socket}`,
      `TCPSocket ${port}`,
      'TCPAddr 127.0.0.1',
      `PidFile ${join(dir, 'clamd.pid')}`,
      `LogFile ${logFile}`,
      `TemporaryDirectory ${dir}`,
      'Foreground yes',
      ...(process.getuid?.() === 0 ? ['User root'] : []),
      '',
    ].join('\n'),
  );

  // Own process group, so stop() reaches clamd and anything it starts.
  const child = spawn('clamd', ['-c', configFile], { detached: true, stdio: 'ignore' });
  let spawnError: Error | null = null;
  child.on('error', (error) => {
    spawnError = error;
  });

  const stop = (): Promise<void> => stopProcessGroup(child, 10_000);
  const dispose = async (): Promise<void> => {
    await stop();
    rmSync(dir, { recursive: true, force: true });
  };

  const endpoint: ClamdEndpoint = { kind: 'tcp', host: '127.0.0.1', port };
  const deadline = Date.now() + (options.readyTimeoutMs ?? 30_000);
  for (;;) {
    if (spawnError || exited(child)) {
      let log = '';
      try {
        log = readFileSync(logFile, 'utf8');
      } catch {
        // no log written
      }
      await dispose();
      throw new Error(`clamd did not start (${spawnError ?? `exit ${child.exitCode}`}): ${log.trim().split('\n').slice(-3).join(' | ')}`);
    }
    try {
      // Ready means answering a real VERSION request, not just an open port.
      if ((await queryClamd(endpoint, 'VERSION', 1_000)).startsWith('ClamAV ')) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await dispose();
      throw new Error(`clamd did not answer VERSION on 127.0.0.1:${port} within ${options.readyTimeoutMs ?? 30_000} ms`);
    }
    await sleep(100);
  }
  return { dir, configFile, databaseDir, socket, tcp: { host: '127.0.0.1', port }, pid: child.pid!, database, stop, dispose };
}
