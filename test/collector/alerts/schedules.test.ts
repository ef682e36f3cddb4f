import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { localClock } from '../../../collector/alerts/clock.js';
import { enqueueDueDigests } from '../../../collector/alerts/digest.js';
import { checkSilentAgents } from '../../../collector/alerts/silent-agents.js';
import type { AgentAlert, DigestAlert } from '../../../collector/alerts/types.js';
import { openStore, type Store } from '../../../collector/store/index.js';
import { alertsConfig, finding, ruleTitle } from './helpers.js';

const config = alertsConfig({ timeZone: 'Europe/Stockholm', digest: { time: '07:00' }, silentAgents: { afterMinutes: 120 } });

async function outbox(store: Store) {
  return store.db.selectFrom('alert_outbox').selectAll().orderBy('id').execute();
}

describe('daily digest', () => {
  let store: Store;
  beforeEach(async () => {
    store = await openStore({ driver: 'sqlite', path: ':memory:' });
    await store.createTenant('amal', 'Åmåls kommun', new Date());
    await store.createTenant('dals-ed', 'Dals-Eds kommun', new Date());
    await store.replaceFindings(
      'amal',
      [
        finding({ targetId: 'm1', targetName: 'web01' }),
        finding({ targetId: 'm2', targetName: 'web02' }),
        finding({ ruleId: 'BV-LOG-001', severity: 'critical', goals: ['LOG'] }),
        finding({ ruleId: 'BV-PAT-003', severity: 'low' }),
        finding({ ruleId: 'BV-FW-001', status: 'pass' }),
      ],
      new Date(),
    );
  });
  afterEach(async () => {
    await store.close();
  });

  it('is enqueued once per tenant, route and local day, after the configured local time', async () => {
    // 05:59 UTC is 06:59 in Stockholm (winter time).
    expect(localClock(new Date('2026-11-23T05:59:00Z'), 'Europe/Stockholm')).toEqual({ date: '2026-11-23', minuteOfDay: 6 * 60 + 59 });
    expect(await enqueueDueDigests(store.db, config, ruleTitle, new Date('2026-11-23T05:59:00Z'))).toBe(0);
    expect(await enqueueDueDigests(store.db, config, ruleTitle, new Date('2026-11-23T06:00:00Z'))).toBe(1);
    // Later the same day, a restart, or a second collector: nothing more.
    const again = await Promise.all([
      enqueueDueDigests(store.db, config, ruleTitle, new Date('2026-11-23T06:01:00Z')),
      enqueueDueDigests(store.db, config, ruleTitle, new Date('2026-11-23T12:00:00Z')),
    ]);
    expect(again).toEqual([0, 0]);
    const rows = await outbox(store);
    expect(rows).toHaveLength(1); // Dals-Ed has nothing failing
    const digest = JSON.parse(rows[0]!.payload) as DigestAlert;
    expect(digest).toMatchObject({ kind: 'digest', tenantName: 'Åmåls kommun', date: '2026-11-23', totalFailing: 3 });
    // Most severe first; below minSeverity (low) left out; hosts listed.
    expect(digest.items.map((i) => [i.ruleId, i.count])).toEqual([
      ['BV-LOG-001', 1],
      ['BV-AV-001', 2],
    ]);
    expect(digest.items[1]!.targets).toEqual(['web01', 'web02']);
    expect(await enqueueDueDigests(store.db, config, ruleTitle, new Date('2026-11-24T06:00:00Z'))).toBe(1);
  });
});

describe('silent agents', () => {
  let store: Store;
  beforeEach(async () => {
    store = await openStore({ driver: 'sqlite', path: ':memory:' });
    await store.createTenant('amal', 'Åmåls kommun', new Date());
    for (const [id, lastSeen] of [
      ['quiet', '2026-11-23T01:00:00.000Z'],
      ['busy', '2026-11-23T05:50:00.000Z'],
      ['never', null],
    ] as const) {
      await store.db
        .insertInto('agents')
        .values({ id, tenant_id: 'amal', hostname: `${id}-host`, secret_hash: 'x', version: '0.1.0', enrolled_at: '2026-11-23T00:00:00.000Z', last_seen_at: lastSeen, revoked_at: null })
        .execute();
    }
  });
  afterEach(async () => {
    await store.close();
  });

  it('alerts once per silence episode, and once when the agent reports again', async () => {
    const now = new Date('2026-11-23T06:00:00.000Z');
    const runs = await Promise.all([checkSilentAgents(store.db, config, now), checkSilentAgents(store.db, config, now)]);
    expect(runs.reduce((n, r) => n + r.silent, 0)).toBe(2);
    expect(await checkSilentAgents(store.db, config, new Date('2026-11-23T07:00:00.000Z'))).toEqual({ silent: 0, back: 0 });
    let rows = await outbox(store);
    expect(rows.map((r) => (JSON.parse(r.payload) as AgentAlert).hostname).sort()).toEqual(['never-host', 'quiet-host']);
    expect(rows.every((r) => r.kind === 'agent-silent')).toBe(true);

    await store.db.updateTable('agents').set({ last_seen_at: '2026-11-23T07:10:00.000Z' }).where('id', '=', 'quiet').execute();
    expect(await checkSilentAgents(store.db, config, new Date('2026-11-23T07:11:00.000Z'))).toEqual({ silent: 0, back: 1 });
    expect(await checkSilentAgents(store.db, config, new Date('2026-11-23T07:12:00.000Z'))).toEqual({ silent: 0, back: 0 });
    rows = await outbox(store);
    expect(rows.map((r) => r.kind)).toEqual(['agent-silent', 'agent-silent', 'agent-back']);

    // Later: 'quiet' is silent again (a new episode, a new alert) and so is 'busy'; 'never' still is (no new alert).
    expect(await checkSilentAgents(store.db, config, new Date('2026-11-23T10:00:00.000Z'))).toEqual({ silent: 2, back: 0 });
    expect((await outbox(store)).length).toBe(5);
  });
});
