import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer, type RequestListener, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { createServer as createNetServer, Socket, type Server as NetServer } from 'node:net';
import { join } from 'node:path';
import type { SecureVersion } from 'node:tls';
import { freePort } from './ports.js';
import { exited, stopProcessGroup } from './process-group.js';
import type { TestCa } from './tls-ca.js';

/**
 * Web servers on 127.0.0.1 for the web probe's tests: HTTPS with the test CA's certificates
 * and chosen TLS versions (Node), a legacy TLS 1.0-only server (openssl s_server), plain HTTP
 * handlers, and raw TCP servers for answers no HTTP library would write.
 */

export interface Running {
  port: number;
  url: string;
  close(): Promise<void>;
}

export interface Leaf {
  certFile: string;
  keyFile: string;
}

/**
 * A leaf certificate signed by the test CA with `openssl ca`, which takes explicit dates
 * (an expired certificate needs a start and an end in the past; TEST-SERVERS.md Part 2 §3).
 */
export function issueLeaf(ca: TestCa, dir: string, name: string, options: { san: string; startDate?: string; endDate?: string; days?: number }): Leaf {
  const at = (file: string) => join(dir, file);
  const db = at(`${name}-index.txt`);
  writeFileSync(db, '');
  writeFileSync(at(`${name}-serial`), `${Date.now().toString(16).padStart(16, '0')}\n`);
  writeFileSync(
    at(`${name}-ca.cnf`),
    `[ca]\ndefault_ca = test\n[test]\ndatabase = ${db}\nnew_certs_dir = ${dir}\nserial = ${at(`${name}-serial`)}\ndefault_md = sha256\n` +
      `policy = any\ncopy_extensions = none\nunique_subject = no\n[any]\ncommonName = supplied\n` +
      `[leaf]\nsubjectAltName = ${options.san}\nextendedKeyUsage = serverAuth\nbasicConstraints = CA:FALSE\n`,
  );
  const run = (args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
  run(['req', '-newkey', 'rsa:2048', '-nodes', '-subj', `/CN=${name}`, '-keyout', at(`${name}.key`), '-out', at(`${name}.csr`)]);
  run([
    'ca', '-batch', '-config', at(`${name}-ca.cnf`), '-cert', ca.caFile, '-keyfile', join(dir, 'ca.key'), '-in', at(`${name}.csr`), '-out', at(`${name}.crt`),
    '-extensions', 'leaf', '-notext',
    ...(options.startDate ? ['-startdate', options.startDate] : []),
    ...(options.endDate ? ['-enddate', options.endDate] : ['-days', String(options.days ?? 2)]),
  ]);
  return { certFile: at(`${name}.crt`), keyFile: at(`${name}.key`) };
}

function listen(server: Server | NetServer): Promise<number> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port)));
}

function closer(server: Server | NetServer, sockets: Set<Socket>): () => Promise<void> {
  return () =>
    new Promise((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    });
}

function track(server: Server | NetServer): Set<Socket> {
  const sockets = new Set<Socket>();
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  return sockets;
}

export async function startHttps(leaf: Leaf, handler: RequestListener, tls: { minVersion?: SecureVersion; maxVersion?: SecureVersion; ciphers?: string } = {}): Promise<Running> {
  const server = createHttpsServer({ key: readFileSync(leaf.keyFile), cert: readFileSync(leaf.certFile), ...tls }, handler);
  const sockets = track(server);
  // Handshakes the server refuses (the probe trying TLS 1.0) are expected.
  server.on('tlsClientError', () => undefined);
  const port = await listen(server);
  return { port, url: `https://127.0.0.1:${port}/`, close: closer(server, sockets) };
}

export async function startHttp(handler: RequestListener): Promise<Running> {
  const server = createHttpServer(handler);
  const sockets = track(server);
  const port = await listen(server);
  return { port, url: `http://127.0.0.1:${port}/`, close: closer(server, sockets) };
}

/** A TCP server that answers each connection with `onConnection` (raw bytes, or silence). */
export async function startRaw(onConnection: (socket: Socket) => void): Promise<Running> {
  const server = createNetServer((socket) => {
    socket.on('error', () => undefined);
    onConnection(socket);
  });
  const sockets = track(server);
  const port = await listen(server);
  return { port, url: `http://127.0.0.1:${port}/`, close: closer(server, sockets) };
}

/**
 * Starts a server program in its own process group and waits until it accepts TCP
 * connections on 127.0.0.1:port; stops it and throws with its last words when it exits or
 * does not get there in time.
 */
export async function spawnListening(what: string, command: string, args: string[], port: number): Promise<ChildProcess> {
  const child = spawn(command, args, { detached: true, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr = (stderr + d).slice(-2000)));
  const deadline = Date.now() + 15_000;
  for (;;) {
    const up = await new Promise<boolean>((resolve) => {
      const s = new Socket();
      s.once('connect', () => (s.destroy(), resolve(true)));
      s.once('error', () => resolve(false));
      s.connect(port, '127.0.0.1');
    });
    if (up) return child;
    if (exited(child) || Date.now() > deadline) {
      await stopProcessGroup(child);
      throw new Error(`${what} did not start on port ${port}: ${stderr}`);
    }
    await new Promise((r) => setTimeout(r, 25));
  }
}

/**
 * `openssl s_server -www` offering TLS 1.0 only, with the security level lowered as a legacy
 * server would have it (TEST-SERVERS.md Part 2 §3, server c).
 */
export async function startLegacyTls10(leaf: Leaf): Promise<Running> {
  const port = await freePort();
  const child = await spawnListening('openssl s_server', 'openssl', [
    's_server', '-www', '-quiet', '-accept', `127.0.0.1:${port}`, '-key', leaf.keyFile, '-cert', leaf.certFile, '-tls1', '-cipher', 'DEFAULT:@SECLEVEL=0',
  ], port);
  return { port, url: `https://127.0.0.1:${port}/`, close: () => stopProcessGroup(child) };
}
