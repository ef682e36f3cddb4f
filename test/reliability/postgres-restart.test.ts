import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../common/logger.js';
import { defaultCollectorConfig } from '../../collector/config/load.js';
import { startCollector, type RunningCollector } from '../../collector/index.js';
import { createEnrollmentToken } from '../../collector/services/enrollment.js';
import { CollectorClient } from '../../agent/transport/index.js';
import type { AgentCredential } from '../../report/api.js';
import { hostReport } from '../support/reports.js';
import { requirePrograms } from '../support/require.js';
import { postgresBin, startPostgres } from '../support/servers/postgres.mjs';

const hasPostgres = requirePrograms('PostgreSQL restart', [`${postgresBin() ?? '/usr/lib/postgresql/15/bin'}/initdb`, 'runuser']);

describe.runIf(hasPostgres)('PostgreSQL restarted under load', () => {
  let postgres: Awaited<ReturnType<typeof startPostgres>>;
  let collector: RunningCollector;
  let credential: AgentCredential;
  let client: CollectorClient;

  beforeAll(async () => {
    postgres = await startPostgres();
    postgres.createDatabase('basvakt');
    collector = await startCollector(defaultCollectorConfig({ listen: { host: '127.0.0.1', port: 0 }, database: postgres.config() }), silentLogger);
    await collector.store.createTenant('amal', 'Åmåls kommun', new Date());
    const { token } = await createEnrollmentToken(collector.store, { tenantId: 'amal', maxUses: 1, validForHours: 1, actor: 'test' });
    client = new CollectorClient({ url: collector.url, timeoutMs: 10_000 });
    credential = await client.enroll(token, 'h', '1');
  }, 60_000);
  afterAll(async () => {
    client?.close();
    await collector?.close().catch(() => undefined);
    postgres?.dispose();
  });

  it('answers 503 while the database is away, recovers by itself, and loses no acknowledged report', async () => {
    const acknowledged: string[] = [];
    const retried: string[] = [];
    const pending: ReturnType<typeof hostReport>[] = [];
    let stop = false;
    const senders = Array.from({ length: 4 }, async () => {
      let report = hostReport(credential.agentId);
      while (!stop) {
        const result = await client.sendReport(report, credential);
        if (result.kind === 'accepted' || result.kind === 'duplicate') {
          acknowledged.push(report.reportId);
          report = hostReport(credential.agentId);
        } else if (result.kind === 'retry') {
          retried.push(result.reason);
          await new Promise((r) => setTimeout(r, 50));
        } else throw new Error(`unexpected ${JSON.stringify(result)}`);
      }
      pending.push(report);
    });
    while (acknowledged.length < 20) await new Promise((r) => setTimeout(r, 10));
    postgres.stop();
    await new Promise((r) => setTimeout(r, 1500));
    const duringOutage = acknowledged.length;
    postgres.start();
    const target = duringOutage + 20;
    const deadline = Date.now() + 30_000;
    while (acknowledged.length < target && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    stop = true;
    await Promise.all(senders);

    expect(retried.length).toBeGreaterThan(0);
    expect(retried.some((r) => /503/.test(r))).toBe(true);
    expect(acknowledged.length).toBeGreaterThanOrEqual(target);
    const stored = new Set((await collector.store.db.selectFrom('reports').select('report_id').execute()).map((r) => r.report_id));
    for (const id of acknowledged) expect(stored.has(id), `acknowledged ${id} lost`).toBe(true);
  }, 60_000);
});
