import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../common/logger.js';
import { AlertDispatcher } from '../../../collector/alerts/dispatcher.js';
import { createTransitionListener } from '../../../collector/alerts/listener.js';
import { Outbox, backoffMs, enqueueAlerts, outboxDepth, purgeDelivered } from '../../../collector/alerts/outbox.js';
import { RateLimiter } from '../../../collector/alerts/rate-limit.js';
import { routeTransitions } from '../../../collector/alerts/router.js';
import type { OutgoingAlert, TransitionAlert } from '../../../collector/alerts/types.js';
import { openStore, type Store } from '../../../collector/store/index.js';
import { alertsConfig, finding, RecordingChannel, ruleTitle, T0, transition } from './helpers.js';

const options = { leaseSeconds: 60, maxAttempts: 3, backoffSeconds: { initial: 10, max: 40 }, random: () => 1 };
const at = (seconds: number) => new Date(T0.getTime() + seconds * 1000);

function alerts(n = 1, reportId = 'r-1'): OutgoingAlert[] {
  return routeTransitions({
    tenantId: 'amal',
    tenantName: 'Åmåls kommun',
    transitions: Array.from({ length: n }, (_, i) => transition({ ruleId: `BV-T-${i}`, reportId })),
    routes: alertsConfig().routes,
    ruleTitle,
  });
}

describe('alert outbox', () => {
  let store: Store;

  beforeEach(async () => {
    store = await openStore({ driver: 'sqlite', path: ':memory:' });
    await store.createTenant('amal', 'Åmåls kommun', T0);
  });
  afterEach(async () => {
    await store.close();
  });

  it('enqueues each alert once however often it is enqueued', async () => {
    expect(await enqueueAlerts(store.db, alerts(2), T0)).toBe(2);
    expect(await enqueueAlerts(store.db, alerts(2), T0)).toBe(0);
    expect(await outboxDepth(store.db)).toEqual({ pending: 2, dead: 0 });
  });

  it('lets only one of two collectors claim a row, and another claim it after the lease runs out', async () => {
    await enqueueAlerts(store.db, alerts(3), T0);
    const a = new Outbox(store.db, { ...options, owner: 'a' });
    const b = new Outbox(store.db, { ...options, owner: 'b' });
    const [claimedA, claimedB] = await Promise.all([a.claimDue(T0), b.claimDue(T0)]);
    expect(claimedA.length + claimedB.length).toBe(3);
    expect(new Set([...claimedA, ...claimedB].map((r) => r.id)).size).toBe(3);
    expect(await b.claimDue(at(59))).toEqual([]);
    // The holder died: after the lease the rows are claimable again.
    expect((await b.claimDue(at(61))).length).toBe(3);
  });

  it('holds an enqueued alert back for the grouping delay', async () => {
    await enqueueAlerts(store.db, alerts(1), T0, 30);
    const outbox = new Outbox(store.db, { ...options, owner: 'a' });
    expect(await outbox.claimDue(at(29))).toEqual([]);
    expect(await outbox.claimDue(at(30))).toHaveLength(1);
  });

  it('retries with exponential backoff, then gives up into a visible dead state that can be retried', async () => {
    expect([1, 2, 3, 4, 5].map((n) => backoffMs(n, { initial: 10, max: 40 }, () => 1))).toEqual([10_000, 20_000, 40_000, 40_000, 40_000]);
    expect(backoffMs(1, { initial: 10, max: 40 }, () => 0)).toBe(5_000);
    await enqueueAlerts(store.db, alerts(1), T0);
    const outbox = new Outbox(store.db, { ...options, owner: 'a' });
    let now = T0;
    for (const wait of [10, 20]) {
      const [row] = await outbox.claimDue(now);
      expect(row).toBeDefined();
      await outbox.markFailed([row!], 'ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:9', now);
      expect(await outbox.claimDue(new Date(now.getTime() + wait * 1000 - 1))).toEqual([]);
      now = new Date(now.getTime() + wait * 1000);
    }
    const [last] = await outbox.claimDue(now);
    await outbox.markFailed([last!], 'still down', now);
    expect(await outboxDepth(store.db)).toEqual({ pending: 0, dead: 1 });
    const dead = await store.db.selectFrom('alert_outbox').selectAll().executeTakeFirstOrThrow();
    expect(dead).toMatchObject({ state: 'dead', attempts: 3, last_error: 'still down' });
    expect(await outbox.claimDue(at(10_000))).toEqual([]);
    expect(await outbox.retryDead(now)).toBe(1);
    expect(await outbox.claimDue(now)).toHaveLength(1);
  });

  it('deletes delivered alerts after a while but keeps pending and dead ones', async () => {
    await enqueueAlerts(store.db, alerts(3), T0);
    const outbox = new Outbox(store.db, { ...options, maxAttempts: 1, owner: 'a' });
    const [a, b] = await outbox.claimDue(T0);
    await outbox.markSent([a!.id], T0);
    expect(await outbox.markFailed([b!], 'gone', T0)).toBe(1);
    expect(await purgeDelivered(store.db, at(-1))).toBe(0);
    expect(await purgeDelivered(store.db, at(1))).toBe(1);
    expect(await outboxDepth(store.db)).toEqual({ pending: 1, dead: 1 });
  });

  it('commits alerts with the findings change and rolls them back with it', async () => {
    const config = alertsConfig({ delivery: { groupSeconds: 0 } });
    store.onTransitions(createTransitionListener(config, ruleTitle, () => T0));
    await store.replaceFindings('amal', [finding()], T0);
    const rows = await store.db.selectFrom('alert_outbox').selectAll().execute();
    expect(rows).toHaveLength(1);
    expect(JSON.parse(rows[0]!.payload)).toMatchObject({ kind: 'new', tenantName: 'Åmåls kommun', ruleId: 'BV-AV-001' });

    // A listener after ours fails: the findings change and our alert roll back together.
    store.onTransitions(async () => {
      throw new Error('boom');
    });
    await expect(store.replaceFindings('amal', [finding({ targetId: 'm2', targetName: 'web02' })], T0)).rejects.toThrow('boom');
    expect(await store.db.selectFrom('alert_outbox').selectAll().execute()).toHaveLength(1);
    expect(await store.listFindings('amal')).toHaveLength(1);
  });
});

describe('alert dispatcher', () => {
  let store: Store;
  beforeEach(async () => {
    store = await openStore({ driver: 'sqlite', path: ':memory:' });
  });
  afterEach(async () => {
    await store.close();
  });

  function dispatcher(channels: RecordingChannel[], now: () => Date, limit = { max: 100, windowSeconds: 60 }) {
    const outbox = new Outbox(store.db, { ...options, owner: 'x' });
    return new AlertDispatcher({
      outbox,
      channels: new Map(channels.map((c) => [c.id, c])),
      rateLimiter: new RateLimiter(new Map(channels.map((c) => [c.id, limit]))),
      logger: silentLogger,
      intervalMs: 1000,
      now,
    });
  }

  it('sends alerts of one rule that came from different reports as one, listing every host', async () => {
    const routes = alertsConfig().routes;
    for (const [i, name] of ['web01', 'web02', 'web03'].entries()) {
      const t = transition({ targetId: `m${i}`, targetName: name, reportId: `r-${i}` });
      await enqueueAlerts(store.db, routeTransitions({ tenantId: 'amal', tenantName: 'Åmål', transitions: [t], routes, ruleTitle }), T0);
    }
    const hook = new RecordingChannel('hook');
    expect(await dispatcher([hook], () => T0).flush()).toEqual({ sent: 3, failed: 0, held: 0 });
    expect(hook.sent).toHaveLength(1);
    expect(hook.sent[0]!.ids).toHaveLength(3);
    expect((hook.sent[0]!.payload as TransitionAlert).targets.map((t) => t.name)).toEqual(['web01', 'web02', 'web03']);
    expect(await dispatcher([hook], () => T0).flush()).toEqual({ sent: 0, failed: 0, held: 0 });
  });

  it('keeps failed alerts for a retry, holds alerts over the rate limit, and records an unknown channel', async () => {
    await enqueueAlerts(store.db, alerts(3), T0);
    const hook = new RecordingChannel('hook');
    hook.failing = 'connect ECONNREFUSED';
    let now = T0;
    const d = dispatcher([hook], () => now, { max: 2, windowSeconds: 60 });
    // The first send fails; the others are not tried against a channel that just failed.
    expect(await d.flush()).toEqual({ sent: 0, failed: 1, held: 2 });
    const rows = await store.db.selectFrom('alert_outbox').select(['attempts', 'last_error', 'state']).orderBy('id').execute();
    expect(rows.filter((r) => r.attempts === 1).every((r) => r.last_error === 'connect ECONNREFUSED' && r.state === 'pending')).toBe(true);
    hook.failing = null;
    now = at(61);
    expect(await d.flush()).toEqual({ sent: 2, failed: 0, held: 1 });
    now = at(122);
    expect(await d.flush()).toEqual({ sent: 1, failed: 0, held: 0 });
    expect(hook.sent.map((s) => s.ids.length)).toEqual([1, 1, 1]);

    await enqueueAlerts(store.db, [{ ...alerts(1, 'r-9')[0]!, channelId: 'removed' }], now);
    expect(await d.flush()).toMatchObject({ failed: 1 });
    expect((await store.db.selectFrom('alert_outbox').select('last_error').where('channel_id', '=', 'removed').executeTakeFirstOrThrow()).last_error).toContain('unknown channel');
  });
});
