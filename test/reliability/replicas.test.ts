import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../common/logger.js';
import { defaultCollectorConfig } from '../../collector/config/load.js';
import { startCollector, type RunningCollector } from '../../collector/index.js';
import { createEnrollmentToken } from '../../collector/services/enrollment.js';
import { CollectorClient } from '../../agent/transport/index.js';
import type { AgentCredential } from '../../report/api.js';
import { hostReport, okFact } from '../support/reports.js';
import { requirePrograms } from '../support/require.js';
import { postgresBin, startPostgres } from '../support/servers/postgres.mjs';

const hasPostgres = requirePrograms('collector replicas', [`${postgresBin() ?? '/usr/lib/postgresql/15/bin'}/initdb`, 'runuser']);

describe.runIf(hasPostgres)('two collector replicas sharing PostgreSQL', () => {
  let postgres: Awaited<ReturnType<typeof startPostgres>>;
  let replicas: RunningCollector[];

  beforeAll(async () => {
    postgres = await startPostgres();
    postgres.createDatabase('basvakt');
    // Both start at once: the migration lock lets exactly one of them migrate.
    replicas = await Promise.all([0, 1].map(() => startCollector(defaultCollectorConfig({ listen: { host: '127.0.0.1', port: 0 }, database: postgres.config() }), silentLogger)));
    await replicas[0]!.store.createTenant('amal', 'Åmåls kommun', new Date());
  }, 60_000);
  afterAll(async () => {
    for (const r of replicas ?? []) await r.close();
    postgres?.dispose();
  });

  it('stores every report exactly once when agents send the same reports to both replicas at the same time', async () => {
    const agents: { client: CollectorClient[]; credential: AgentCredential }[] = [];
    const { token } = await createEnrollmentToken(replicas[0]!.store, { tenantId: 'amal', maxUses: 10, validForHours: 1, actor: 'test' });
    for (let i = 0; i < 5; i++) {
      const clients = replicas.map((r) => new CollectorClient({ url: r.url, timeoutMs: 10_000 }));
      const credential = await clients[i % 2]!.enroll(token, `host-${i}`, '0.1.0');
      agents.push({ client: clients, credential });
    }
    const reports = agents.flatMap(({ credential }, a) =>
      Array.from({ length: 8 }, (_, n) => {
        const report = hostReport(credential.agentId, {}, [okFact('directoryJoin', { joined: n % 2 === 0, method: null, domain: null })]);
        report.targets[0]!.id = `machine-${a}`;
        report.targets[0]!.name = `host-${a}`;
        return { agent: agents[a]!, report };
      }),
    );
    const results = await Promise.all(reports.flatMap(({ agent, report }) => agent.client.map((c) => c.sendReport(report, agent.credential))));
    expect(results.every((r) => r.kind === 'accepted' || r.kind === 'duplicate')).toBe(true);
    expect(results.filter((r) => r.kind === 'accepted')).toHaveLength(reports.length);
    expect(await replicas[1]!.store.countReports('amal')).toBe(reports.length);
    for (const { client } of agents) for (const c of client) c.close();

    // Each replica sees the same findings, written once per change.
    await Promise.all(replicas.map((r) => r.aggregates.flush()));
    const [a, b] = await Promise.all(replicas.map((r) => r.store.listFindings('amal')));
    expect(a!.map((f) => [f.rule_id, f.target_id, f.status])).toEqual(b!.map((f) => [f.rule_id, f.target_id, f.status]));
    const aggregates = a!.filter((f) => f.target_kind === 'tenant');
    expect(new Set(aggregates.map((f) => f.rule_id)).size).toBe(aggregates.length);
  });
});
