import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createEnrollmentToken } from '../../collector/services/enrollment.js';
import { openStore } from '../../collector/store/index.js';
import { CLI } from '../support/cli.js';
import { hostReport } from '../support/reports.js';
import { freePort } from '../support/servers/ports.js';
import { startWebhookReceiver, type WebhookReceiver } from '../support/servers/webhook.js';

const SECRET = 'kill-nio-hemlighet-0123456789abcdef';

interface OutboxRow {
  dedupe_key: string;
  state: string;
  attempts: number;
  last_error: string | null;
}

/** Starts `basvakt collector` as its own process and resolves with its URL, as `basvakt demo` does. */
function startCollectorProcess(config: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [CLI, 'collector', '--config', config], { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, BASVAKT_LANG: 'en' } });
  return new Promise((resolve, reject) => {
    let stderr = '';
    const timer = setTimeout(() => reject(new Error(`collector did not start:\n${stderr}`)), 30_000);
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
      const match = /Collector listening on (\S+)/.exec(stderr);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve({ child, url: match[1] });
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`collector exited with ${code}:\n${stderr}`));
    });
  });
}

function exited(child: ChildProcess): Promise<void> {
  return child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise((r) => child.once('exit', () => r()));
}

async function until<T>(what: string, check: () => T | undefined | false, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('alert outbox survives kill -9 of the collector', () => {
  let dir: string;
  let child: ChildProcess | undefined;
  let receiver: WebhookReceiver | undefined;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'basvakt-alerts-kill9-'));
  });
  afterEach(async () => {
    if (child) {
      child.kill('SIGKILL');
      await exited(child);
    }
    await receiver?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('delivers an alert enqueued before the crash exactly once after a restart on the same database', async () => {
    const db = join(dir, 'collector.db');
    const store = await openStore({ driver: 'sqlite', path: db });
    await store.createTenant('amal', 'Åmåls kommun', new Date());
    const { token } = await createEnrollmentToken(store, { tenantId: 'amal', maxUses: 1, validForHours: 1, actor: 'test' });
    await store.close();

    const port = await freePort();
    writeFileSync(join(dir, 'hook.secret'), SECRET, { mode: 0o600 });
    const config = join(dir, 'collector.yaml');
    writeFileSync(
      config,
      `listen: { host: 127.0.0.1, port: 0 }
database: { driver: sqlite, path: collector.db }
log: { level: warn }
alerts:
  channels:
    - { id: soc, kind: webhook, url: "http://127.0.0.1:${port}/hook", secretFile: hook.secret, timeoutSeconds: 2 }
  routes:
    - { channels: [soc], minSeverity: high, on: [new, regressed] }
  delivery: { intervalSeconds: 0.2, groupSeconds: 0, backoffSeconds: { initial: 0.5, max: 1 }, leaseSeconds: 10 }
`,
    );

    // The webhook receiver is down.
    let running = await startCollectorProcess(config);
    child = running.child;
    const enrolled = await fetch(`${running.url}/api/v1/enroll`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token, hostname: 'web01', agentVersion: '0.1.0' }),
    });
    expect(enrolled.status).toBe(201);
    const agent = (await enrolled.json()) as { agentId: string; secret: string };
    const report = hostReport(agent.agentId); // ClamAV installed but not running: BV-AV-001 fails
    const posted = await fetch(`${running.url}/api/v1/reports`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${agent.agentId}.${agent.secret}` },
      body: JSON.stringify(report),
    });
    expect(posted.status).toBe(201);

    const sqlite = new BetterSqlite3(db, { readonly: true });
    const rows = () => sqlite.prepare('SELECT dedupe_key, state, attempts, last_error FROM alert_outbox ORDER BY id').all() as OutboxRow[];
    try {
      // The report was acknowledged only after its transaction committed, and its alert is part of that transaction.
      expect(rows().some((r) => r.dedupe_key.includes(':new:BV-AV-001:'))).toBe(true);
      // Acknowledged means committed: the alert is in the outbox, and the collector has tried and failed to send it.
      const tried = await until('a failed attempt', () => {
        const r = rows();
        return r.length > 0 && r.every((row) => row.attempts >= 1) && r;
      });
      expect(tried.some((r) => r.dedupe_key.includes(':new:BV-AV-001:'))).toBe(true);
      expect(tried.every((r) => r.state === 'pending' && /ECONNREFUSED/.test(r.last_error ?? ''))).toBe(true);

      child.kill('SIGKILL');
      await exited(child);
      child = undefined;

      receiver = await startWebhookReceiver(SECRET, port);
      running = await startCollectorProcess(config);
      child = running.child;
      await until('the alerts delivered', () => rows().every((r) => r.state === 'sent') && rows());
      // Several more dispatch rounds: nothing is sent twice.
      await new Promise((r) => setTimeout(r, 1500));
      const delivered = receiver.accepted.flatMap((r) => (r.body as { ids: string[] }).ids);
      const keys = rows().map((r) => r.dedupe_key);
      expect(receiver.rejected).toEqual([]);
      expect(delivered.sort()).toEqual([...keys].sort());
      expect(new Set(delivered).size).toBe(delivered.length);
      const av = receiver.accepted.find((r) => (r.body as { alert: { ruleId: string } }).alert.ruleId === 'BV-AV-001');
      expect((av?.body as { text: { sv: string } }).text.sv).toBe('BV-AV-001 ny avvikelse på 1 dator');
    } finally {
      sqlite.close();
    }
    child.kill('SIGTERM');
    await exited(child);
    child = undefined;
  });
});
