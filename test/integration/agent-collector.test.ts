import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../common/logger.js';
import { defaultCollectorConfig } from '../../collector/config/load.js';
import { startCollector, type RunningCollector } from '../../collector/index.js';
import { createEnrollmentToken } from '../../collector/services/enrollment.js';
import { openStore } from '../../collector/store/index.js';
import { createHostProbe } from '../../agent/probes/host/index.js';
import { Spool } from '../../agent/spool/index.js';
import { CollectorClient } from '../../agent/transport/index.js';
import { createProbeContext, scanOnce, Sender } from '../../agent/runtime/index.js';
import type { AgentCredential } from '../../report/api.js';

describe('agent → collector over real HTTP, with a collector restart in between', () => {
  let dir: string;
  let collector: RunningCollector | undefined;

  const start = (port = 0) =>
    startCollector(defaultCollectorConfig({ listen: { host: '127.0.0.1', port }, database: { driver: 'sqlite', path: join(dir, 'collector.db') } }), silentLogger);

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'basvakt-e2e-'));
  });
  afterEach(async () => {
    await collector?.close();
    collector = undefined;
    await rm(dir, { recursive: true, force: true });
  });

  it('delivers every spooled report exactly once after the collector comes back', async () => {
    collector = await start();
    const url = collector.url;
    const port = Number(new URL(url).port);
    await collector.store.createTenant('amal', 'Åmåls kommun', new Date());
    const { token } = await createEnrollmentToken(collector.store, { tenantId: 'amal', maxUses: 1, validForHours: 1, actor: 'test' });
    const client = new CollectorClient({ url, timeoutMs: 5000 });
    const credential: AgentCredential = await client.enroll(token, 'agent-host', '0.1.0');

    // Real scans of this machine, spooled while the collector is down.
    const context = createProbeContext(silentLogger);
    const first = await scanOnce([createHostProbe()], context, { agentId: credential.agentId, version: '0.1.0', hostname: 'agent-host' });
    await collector.close();
    collector = undefined;

    const spool = await Spool.open({ directory: join(dir, 'spool'), maxBytes: 10 * 1024 * 1024, maxReports: 100, logger: silentLogger });
    await spool.put(first);
    const sender = new Sender({ spool, client, credential: async () => credential, logger: silentLogger });
    const whileDown = await sender.drain();
    expect(whileDown.outcome).toBe('retry');
    expect(whileDown.delivered).toBe(0);
    sender.stop();

    const second = await scanOnce([createHostProbe()], context, { agentId: credential.agentId, version: '0.1.0', hostname: 'agent-host' });
    await spool.put(second);
    expect((await spool.list()).map((e) => e.reportId)).toEqual([first.reportId, second.reportId]);

    collector = await start(port);
    const afterRestart = await new Sender({ spool, client, credential: async () => credential, logger: silentLogger }).drain();
    expect(afterRestart).toMatchObject({ outcome: 'drained', delivered: 2 });
    expect(await spool.list()).toEqual([]);

    // Sending the first report once more changes nothing.
    expect(await client.sendReport(first, credential)).toMatchObject({ kind: 'duplicate' });
    client.close();

    const reports = await collector.store.db.selectFrom('reports').select(['report_id']).orderBy('received_at').execute();
    expect(reports.map((r) => r.report_id).sort()).toEqual([first.reportId, second.reportId].sort());
    const findings = await collector.store.listFindings('amal');
    const hostFindings = findings.filter((f) => f.target_kind === 'host');
    expect(hostFindings.map((f) => f.rule_id)).toContain('BV-AV-001');
    // Host findings reflect the newest report.
    expect(new Set(hostFindings.map((f) => f.report_id))).toEqual(new Set([second.reportId]));
  });

  it('keeps data on disk across restarts and refuses to listen beyond loopback without TLS', async () => {
    collector = await start();
    await collector.store.createTenant('amal', 'Åmåls kommun', new Date());
    await collector.close();
    collector = undefined;
    const store = await openStore({ driver: 'sqlite', path: join(dir, 'collector.db') });
    expect((await store.listTenants()).map((t) => t.id)).toEqual(['amal']);
    await store.close();

    await expect(
      startCollector(defaultCollectorConfig({ listen: { host: '0.0.0.0', port: 0 }, database: { driver: 'sqlite', path: join(dir, 'c2.db') } }), silentLogger),
    ).rejects.toThrow(/TLS/);
  });
});
