import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../store/schema.js';
import { localClock, minuteOfDay } from './clock.js';
import type { AlertsConfig, AlertRoute } from './config.js';
import { tenantName } from './listener.js';
import { enqueueAlerts } from './outbox.js';
import { atLeast, routeMatchesFinding, routesFor } from './router.js';
import type { DigestAlert, DigestItem, OutgoingAlert, RuleTitleLookup } from './types.js';

const MAX_ITEMS = 100;
const MAX_TARGETS_PER_ITEM = 10;

/**
 * Enqueues today's digest for every route that wants one and every tenant it covers, once
 * the configured local time has passed. Each (tenant, route, day) is marked in the same
 * transaction as its alerts, so a restart or a second collector never enqueues it twice.
 * Returns the number of digests enqueued. A tenant with nothing failing gets none.
 */
export async function enqueueDueDigests(db: Kysely<Database>, config: Pick<AlertsConfig, 'routes' | 'digest' | 'timeZone'>, ruleTitle: RuleTitleLookup, now: Date): Promise<number> {
  const clock = localClock(now, config.timeZone);
  if (clock.minuteOfDay < minuteOfDay(config.digest.time)) return 0;
  const tenants = await db.selectFrom('tenants').select('id').orderBy('id').execute();
  let enqueued = 0;
  for (const { id: tenantId } of tenants) {
    for (const { route, name } of routesFor(config.routes, 'digest', tenantId)) {
      const mark = `digest:${tenantId}:${name}:${clock.date}`;
      enqueued += await db.transaction().execute(async (trx) => {
        const taken = await trx.insertInto('alert_marks').values({ key: mark, created_at: now.toISOString() }).onConflict((oc) => oc.column('key').doNothing()).executeTakeFirst();
        if (Number(taken.numInsertedOrUpdatedRows ?? 0n) !== 1) return 0;
        const payload = await buildDigest(trx, tenantId, route, name, clock.date, ruleTitle, now);
        if (payload.totalFailing === 0) return 0;
        const alerts: OutgoingAlert[] = route.channels.map((channelId) => ({ channelId, dedupeKey: `${mark}:${channelId}`, groupKey: `${mark}:${channelId}`, payload }));
        await enqueueAlerts(trx, alerts, now);
        return 1;
      });
    }
  }
  return enqueued;
}

async function buildDigest(trx: Transaction<Database>, tenantId: string, route: AlertRoute, name: string, date: string, ruleTitle: RuleTitleLookup, now: Date): Promise<DigestAlert> {
  const rows = await trx
    .selectFrom('findings')
    .select(['rule_id', 'target_name', 'severity', 'goals'])
    .where('tenant_id', '=', tenantId)
    .where('status', '=', 'fail')
    .orderBy('rule_id')
    .orderBy('target_name')
    .execute();
  const byRule = new Map<string, DigestItem>();
  let total = 0;
  for (const row of rows) {
    if (!routeMatchesFinding(route, { severity: row.severity, goals: JSON.parse(row.goals) as string[] })) continue;
    total += 1;
    const item = byRule.get(row.rule_id) ?? { ruleId: row.rule_id, ruleTitle: ruleTitle(row.rule_id) ?? null, severity: row.severity, count: 0, targets: [] };
    item.count += 1;
    if (item.targets.length < MAX_TARGETS_PER_ITEM) item.targets.push(row.target_name);
    byRule.set(row.rule_id, item);
  }
  const items = [...byRule.values()]
    .sort((a, b) => (a.severity === b.severity ? a.ruleId.localeCompare(b.ruleId) : atLeast(a.severity, b.severity) ? -1 : 1))
    .slice(0, MAX_ITEMS);
  return { type: 'digest', kind: 'digest', tenantId, tenantName: await tenantName(trx, tenantId), route: name, date, totalFailing: total, items, at: now.toISOString() };
}
