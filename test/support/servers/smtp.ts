import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './ports.js';

/**
 * A real SMTP server on loopback: aiosmtpd (Debian's python3-aiosmtpd) run by a small
 * Controller script, with STARTTLS required and AUTH (user/pass) allowed only after TLS.
 * Every message is appended to a JSONL file with its envelope, whether TLS was on, the
 * user who logged in, and the decoded subject and text body.
 */
const SCRIPT = String.raw`
import json, ssl, sys, time, email
from email import policy
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult
port, out, user, password = int(sys.argv[1]), sys.argv[2], sys.argv[3].encode(), sys.argv[4].encode()
class Sink:
    async def handle_DATA(self, server, session, envelope):
        msg = email.message_from_bytes(envelope.original_content or envelope.content, policy=policy.default)
        body = msg.get_body(preferencelist=('plain',))
        with open(out, 'a') as f:
            f.write(json.dumps({'from': envelope.mail_from, 'to': envelope.rcpt_tos, 'tls': session.ssl is not None,
                'user': session.auth_data.decode() if session.authenticated else None,
                'subject': str(msg['subject']), 'headers': {k: str(v) for k, v in msg.items()},
                'body': body.get_content() if body is not None else None}) + '\n')
        return '250 OK'
def auth(server, session, envelope, mechanism, data):
    ok = (data.login, data.password) == (user, password)
    return AuthResult(success=ok, handled=False, auth_data=data.login if ok else None)
kw = {}
if len(sys.argv) > 6:
    ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH); ctx.load_cert_chain(sys.argv[5], sys.argv[6])
    kw = dict(tls_context=ctx, require_starttls=True, authenticator=auth, auth_require_tls=True)
c = Controller(Sink(), hostname='127.0.0.1', port=port, **kw); c.start(); print('ready', flush=True)
try:
    while True: time.sleep(3600)
finally: c.stop()
`;

export const PYTHON = '/usr/bin/python3';

export interface ReceivedMail {
  from: string;
  to: string[];
  tls: boolean;
  user: string | null;
  subject: string;
  headers: Record<string, string>;
  body: string | null;
}

export interface SmtpServer {
  port: number;
  received(): ReceivedMail[];
  stop(): Promise<void>;
}

export async function startSmtpServer(options: { certFile: string; keyFile: string; user: string; password: string }): Promise<SmtpServer> {
  const dir = mkdtempSync(join(tmpdir(), 'basvakt-smtp-'));
  const script = join(dir, 'smtp_sink.py');
  const out = join(dir, 'received.jsonl');
  writeFileSync(script, SCRIPT);
  const port = await freePort();
  // -n is not needed with a Controller: it never drops privileges. Own process group, so stop() ends everything.
  const child = spawn(PYTHON, [script, String(port), out, options.user, options.password, options.certFile, options.keyFile], { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  await waitForReady(child, 'ready');
  return {
    port,
    received: () => (existsSync(out) ? readFileSync(out, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as ReceivedMail) : []),
    async stop() {
      await stopGroup(child);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function waitForReady(child: ChildProcess, marker: string, timeoutMs = 15_000): Promise<void> {
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`server not ready within ${timeoutMs} ms:\n${output}`)), timeoutMs);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes(marker)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}:\n${output}`));
    });
  });
}

/** SIGTERM to the process group, SIGKILL after 5 s; resolves when the process has exited. */
export function stopGroup(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return Promise.resolve();
  const pid = child.pid;
  return new Promise((resolve) => {
    const kill = setTimeout(() => {
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {
        /* already gone */
      }
    }, 5000);
    child.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    try {
      process.kill(-pid, 'SIGTERM');
    } catch {
      clearTimeout(kill);
      resolve();
    }
  });
}
