import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentTargets } from '../../collector/services/findings.js';
import type { Store } from '../../collector/store/index.js';
import { listenWithoutRules, storeWithAgent } from '../support/collector.js';
import type { FastifyInstance } from 'fastify';
import { hostReport, okFact } from '../support/reports.js';

/**
 * An agent whose clock is wrong must neither be refused nor make its host look silent (or
 * fresh) by its own timestamps: the collector times everything it decides on by its own clock.
 */
describe('clock skew between agent and collector', () => {
  const collectorNow = new Date('2026-11-23T08:00:00Z');
  let store: Store;
  let app: FastifyInstance;
  let base: string;
  let auth: string;
  let agentId: string;

  beforeAll(async () => {
    const setup = await storeWithAgent(undefined, collectorNow);
    store = setup.store;
    ({ agentId, auth } = setup.agent);
    ({ app, base } = await listenWithoutRules(store, { now: () => collectorNow }));
  });
  afterAll(async () => {
    await app.close();
    await store.close();
  });

  it.each([
    ['three days ahead', 3 * 86_400_000],
    ['a month behind', -30 * 86_400_000],
  ])('accepts a report from an agent whose clock is %s and times it by the collector', async (label, skewMs) => {
    const agentTime = new Date(collectorNow.getTime() + skewMs).toISOString();
    const report = hostReport(agentId, { createdAt: agentTime }, [{ ...okFact('directoryJoin', { joined: true, method: 'sssd', domain: 'kommun.test' }), collectedAt: agentTime }]);
    report.targets[0]!.id = `machine-${label}`;
    const response = await fetch(`${base}/api/v1/reports`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: auth }, body: JSON.stringify(report) });
    expect(response.status).toBe(201);
    const stored = await store.db.selectFrom('reports').select(['created_at', 'received_at']).where('report_id', '=', report.reportId).executeTakeFirstOrThrow();
    expect(stored.created_at).toBe(agentTime);
    expect(stored.received_at).toBe(collectorNow.toISOString());
    const target = (await store.listTargets('amal')).find((t) => t.id === `machine-${label}`)!;
    expect(target.last_seen_at).toBe(collectorNow.toISOString());
    // Not silent a minute later, whatever the agent's clock said; silent a day and a half later.
    expect((await silentTargets(store, 'amal', { now: new Date(collectorNow.getTime() + 60_000), silentAfterHours: 24 })).size).toBe(0);
    expect((await silentTargets(store, 'amal', { now: new Date(collectorNow.getTime() + 36 * 3_600_000), silentAfterHours: 24 })).has(`host\u0000machine-${label}`)).toBe(true);
  });
});
