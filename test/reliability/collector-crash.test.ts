import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEnrollmentToken, enrollAgent } from '../../collector/services/enrollment.js';
import { openStore } from '../../collector/store/index.js';
import { CollectorClient } from '../../agent/transport/index.js';
import type { AgentCredential } from '../../report/api.js';
import { CLI } from '../support/cli.js';
import { hostReport } from '../support/reports.js';
import { freePort } from '../support/servers/ports.js';

function startCollector(config: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [CLI, 'collector', '--config', config], { env: { ...process.env, BASVAKT_LANG: 'en' }, stdio: ['ignore', 'ignore', 'pipe'] });
  return new Promise((resolve, reject) => {
    let text = '';
    child.stderr!.setEncoding('utf8').on('data', (d: string) => {
      text += d;
      const m = /Collector listening on (\S+)/.exec(text);
      if (m?.[1]) resolve({ child, url: m[1] });
    });
    child.once('exit', (code) => reject(new Error(`collector exited ${code}: ${text}`)));
  });
}

describe('kill -9 of a collector under load', () => {
  let dir: string;
  let config: string;
  let credential: AgentCredential;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'basvakt-crash-'));
    const store = await openStore({ driver: 'sqlite', path: join(dir, 'collector.db') });
    await store.createTenant('amal', 'Åmåls kommun', new Date());
    const { token } = await createEnrollmentToken(store, { tenantId: 'amal', maxUses: 1, validForHours: 1, actor: 'test' });
    const agent = await enrollAgent(store, { token, hostname: 'h', agentVersion: '1' });
    credential = { collectorUrl: 'http://127.0.0.1', agentId: agent.agentId, secret: agent.secret, tenant: 'amal', enrolledAt: new Date().toISOString() };
    await store.close();
  });
  afterAll(async () => rm(dir, { recursive: true, force: true }));

  it('keeps every acknowledged report: after a restart each one is stored, and re-sending any report is a duplicate', async () => {
    // A fixed port, so the restarted collector answers at the same address.
    const port = await freePort();
    config = join(dir, 'collector.yaml');
    await writeFile(config, `listen: { host: 127.0.0.1, port: ${port} }\ndatabase: { driver: sqlite, path: collector.db }\nlog: { level: warn }\n`);
    const { child, url } = await startCollector(config);
    const client = new CollectorClient({ url, timeoutMs: 5000 });
    const acknowledged: string[] = [];
    const sent: ReturnType<typeof hostReport>[] = [];
    let stop = false;
    const senders = Array.from({ length: 8 }, async () => {
      while (!stop) {
        const report = hostReport(credential.agentId);
        sent.push(report);
        const result = await client.sendReport(report, credential);
        if (result.kind === 'accepted' || result.kind === 'duplicate') acknowledged.push(report.reportId);
        else if (result.kind === 'retry') await new Promise((r) => setTimeout(r, 20));
      }
    });
    while (acknowledged.length < 60) await new Promise((r) => setTimeout(r, 10));
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    await new Promise((r) => setTimeout(r, 300));
    stop = true;
    await Promise.all(senders);
    expect(acknowledged.length).toBeGreaterThanOrEqual(60);

    const restarted = await startCollector(config);
    try {
      const store = await openStore({ driver: 'sqlite', path: join(dir, 'collector.db') });
      const stored = new Set((await store.db.selectFrom('reports').select('report_id').execute()).map((r) => r.report_id));
      await store.close();
      for (const id of acknowledged) expect(stored.has(id), `acknowledged ${id} lost`).toBe(true);
      // Whatever was in flight at the crash is either stored or can be sent again, once.
      const retry = new CollectorClient({ url: restarted.url, timeoutMs: 5000 });
      for (const report of sent.slice(-20)) {
        const result = await retry.sendReport(report, credential);
        expect(['accepted', 'duplicate']).toContain(result.kind);
        if (stored.has(report.reportId)) expect(result.kind).toBe('duplicate');
      }
      retry.close();
    } finally {
      restarted.child.kill('SIGTERM');
      client.close();
    }
  });
});
