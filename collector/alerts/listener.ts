import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../store/schema.js';
import type { TransitionListener } from '../store/store.js';
import type { AlertsConfig } from './config.js';
import { enqueueAlerts } from './outbox.js';
import { routeTransitions } from './router.js';
import type { RuleTitleLookup } from './types.js';

export async function tenantName(trx: Kysely<Database> | Transaction<Database>, tenantId: string): Promise<string> {
  const row = await trx.selectFrom('tenants').select('name').where('id', '=', tenantId).executeTakeFirst();
  return row?.name ?? tenantId;
}

/**
 * The store calls this inside the transaction that changes findings: the alerts are
 * routed and written to the outbox there, so they commit, or roll back, with the change.
 */
export function createTransitionListener(config: Pick<AlertsConfig, 'routes' | 'delivery'>, ruleTitle: RuleTitleLookup, now: () => Date = () => new Date()): TransitionListener {
  return async (trx, tenantId, transitions) => {
    const alerts = routeTransitions({ tenantId, tenantName: await tenantName(trx, tenantId), transitions, routes: config.routes, ruleTitle });
    if (alerts.length > 0) await enqueueAlerts(trx, alerts, now(), config.delivery.groupSeconds);
  };
}
