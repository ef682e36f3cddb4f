import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { enqueueDueDigests } from '../../../collector/alerts/digest.js';
import { createTransitionListener } from '../../../collector/alerts/listener.js';
import { Outbox, enqueueAlerts, outboxDepth } from '../../../collector/alerts/outbox.js';
import { routeTransitions } from '../../../collector/alerts/router.js';
import { checkSilentAgents } from '../../../collector/alerts/silent-agents.js';
import { openStore, type DatabaseConfig, type Store } from '../../../collector/store/index.js';
import { requirePrograms } from '../../support/require.js';
import { postgresBin, startPostgres } from '../../support/servers/postgres.mjs';
import { alertsConfig, finding, ruleTitle, T0, transition } from './helpers.js';

const hasPostgres = requirePrograms('alert outbox on PostgreSQL', [postgresBin() ? `${postgresBin()}/initdb` : '/usr/lib/postgresql/15/bin/initdb', 'runuser']);
const drivers: ('sqlite' | 'postgres')[] = hasPostgres ? ['sqlite', 'postgres'] : ['sqlite'];

let postgres: Awaited<ReturnType<typeof startPostgres>> | undefined;
let databases = 0;
afterAll(() => postgres?.dispose());

async function freshConfig(driver: 'sqlite' | 'postgres'): Promise<DatabaseConfig> {
  if (driver === 'sqlite') return { driver: 'sqlite', path: ':memory:' };
  postgres ??= await startPostgres();
  const name = `alerts_${++databases}`;
  postgres.createDatabase(name);
  return postgres.config(name);
}

const options = { leaseSeconds: 60, maxAttempts: 2, backoffSeconds: { initial: 10, max: 40 }, random: () => 1 };

/** The outbox behaves the same on both databases the collector runs on, including under races. */
describe.each(drivers)('the alert outbox on %s', (driver) => {
  let store: Store;

  beforeEach(async () => {
    store = await openStore(await freshConfig(driver));
    await store.createTenant('amal', 'Åmåls kommun', T0);
  }, 60_000);
  afterEach(async () => store?.close());

  it('keeps one row per dedupe key, even when enqueued concurrently', async () => {
    const alerts = routeTransitions({ tenantId: 'amal', tenantName: 'Åmål', transitions: [transition()], routes: alertsConfig().routes, ruleTitle });
    const counts = await Promise.all(Array.from({ length: 4 }, () => enqueueAlerts(store.db, alerts, T0)));
    expect(counts.reduce((a, b) => a + b, 0)).toBe(1);
    expect(await outboxDepth(store.db)).toEqual({ pending: 1, dead: 0 });
  });

  it('lets exactly one of several collectors claim each row', async () => {
    for (let i = 0; i < 10; i++) {
      await enqueueAlerts(store.db, routeTransitions({ tenantId: 'amal', tenantName: 'Åmål', transitions: [transition({ ruleId: `BV-T-${i}` })], routes: alertsConfig().routes, ruleTitle }), T0);
    }
    const outboxes = ['a', 'b', 'c'].map((owner) => new Outbox(store.db, { ...options, owner }));
    const claims = await Promise.all(outboxes.map((o) => o.claimDue(T0)));
    const ids = claims.flat().map((c) => c.id);
    expect(ids).toHaveLength(10);
    expect(new Set(ids).size).toBe(10);

    // One alert fails twice (the limit here) and is dead; the others are sent.
    const [first, ...rest] = claims.flat();
    await outboxes[0]!.markFailed([first!], 'down', T0);
    await outboxes[0]!.markFailed([{ ...first!, attempts: 1 }], 'down', T0);
    await outboxes[0]!.markSent(rest.map((c) => c.id), T0);
    expect(await outboxDepth(store.db)).toEqual({ pending: 0, dead: 1 });
  });

  it('writes alerts in the findings transaction, and digests and silences once', async () => {
    store.onTransitions(createTransitionListener(alertsConfig({ delivery: { groupSeconds: 0 } }), ruleTitle, () => T0));
    await store.replaceFindings('amal', [finding({ targetId: 'a', targetName: 'web01' }), finding({ targetId: 'b', targetName: 'web02' })], T0);
    expect(await outboxDepth(store.db)).toEqual({ pending: 1, dead: 0 });

    const config = alertsConfig({ timeZone: 'UTC', digest: { time: '07:00' } });
    const digests = await Promise.all([0, 1, 2].map(() => enqueueDueDigests(store.db, config, ruleTitle, new Date('2026-11-23T08:00:00Z'))));
    expect(digests.reduce((a, b) => a + b, 0)).toBe(1);

    await store.db
      .insertInto('agents')
      .values({ id: 'ag', tenant_id: 'amal', hostname: 'web01', secret_hash: 'x', version: '1', enrolled_at: '2026-11-23T00:00:00.000Z', last_seen_at: '2026-11-23T01:00:00.000Z', revoked_at: null })
      .execute();
    const silent = await Promise.all([0, 1, 2].map(() => checkSilentAgents(store.db, config, new Date('2026-11-23T08:00:00Z'))));
    expect(silent.reduce((a, b) => a + b.silent, 0)).toBe(1);
    const kinds = (await store.db.selectFrom('alert_outbox').select('kind').orderBy('id').execute()).map((r) => r.kind);
    expect(kinds).toEqual(['new', 'digest', 'agent-silent']);
  });
});
