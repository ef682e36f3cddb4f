import type { Kysely } from 'kysely';
import type { Database } from '../store/schema.js';
import type { AlertsConfig } from './config.js';
import { tenantName } from './listener.js';
import { enqueueAlerts } from './outbox.js';
import { routesFor } from './router.js';
import type { AgentAlert, OutgoingAlert } from './types.js';

/**
 * Finds agents that have gone silent and agents that came back. A silence episode is
 * identified by when the agent was last heard, so each episode alerts once, however often
 * this runs and on however many collectors; the episode row and its alerts commit together.
 */
export async function checkSilentAgents(db: Kysely<Database>, config: Pick<AlertsConfig, 'routes' | 'silentAgents'>, now: Date): Promise<{ silent: number; back: number }> {
  const threshold = new Date(now.getTime() - config.silentAgents.afterMinutes * 60_000).toISOString();
  const agents = await db.selectFrom('agents').select(['id', 'tenant_id', 'hostname', 'enrolled_at', 'last_seen_at']).where('revoked_at', 'is', null).execute();
  const open = await db.selectFrom('agent_silences').select(['agent_id', 'since']).where('back_at', 'is', null).execute();
  const openSince = new Map(open.map((o) => [o.agent_id, o.since]));
  let silent = 0;
  let back = 0;
  for (const agent of agents) {
    const heard = agent.last_seen_at ?? agent.enrolled_at;
    const episode = openSince.get(agent.id);
    if (episode !== undefined && heard > episode) {
      back += await closeEpisode(db, config, agent, episode, heard, now);
    } else if (episode === undefined && heard < threshold) {
      silent += await openEpisode(db, config, agent, heard, now);
    }
  }
  return { silent, back };
}

type AgentRow = { id: string; tenant_id: string; hostname: string };

async function openEpisode(db: Kysely<Database>, config: Pick<AlertsConfig, 'routes'>, agent: AgentRow, since: string, now: Date): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const inserted = await trx
      .insertInto('agent_silences')
      .values({ agent_id: agent.id, since, tenant_id: agent.tenant_id, detected_at: now.toISOString(), back_at: null })
      .onConflict((oc) => oc.columns(['agent_id', 'since']).doNothing())
      .executeTakeFirst();
    if (Number(inserted.numInsertedOrUpdatedRows ?? 0n) !== 1) return 0;
    await enqueueAgentAlert(trx, config, agent, 'agent-silent', since, now);
    return 1;
  });
}

async function closeEpisode(db: Kysely<Database>, config: Pick<AlertsConfig, 'routes'>, agent: AgentRow, since: string, heard: string, now: Date): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const updated = await trx.updateTable('agent_silences').set({ back_at: heard }).where('agent_id', '=', agent.id).where('since', '=', since).where('back_at', 'is', null).executeTakeFirst();
    if (Number(updated.numUpdatedRows) !== 1) return 0;
    await enqueueAgentAlert(trx, config, agent, 'agent-back', since, now);
    return 1;
  });
}

async function enqueueAgentAlert(
  trx: Parameters<typeof enqueueAlerts>[0],
  config: Pick<AlertsConfig, 'routes'>,
  agent: AgentRow,
  kind: AgentAlert['kind'],
  since: string,
  now: Date,
): Promise<void> {
  const channels = new Set(routesFor(config.routes, 'agent-silent', agent.tenant_id).flatMap(({ route }) => route.channels));
  if (channels.size === 0) return;
  const payload: AgentAlert = {
    type: 'agent',
    kind,
    tenantId: agent.tenant_id,
    tenantName: await tenantName(trx, agent.tenant_id),
    agentId: agent.id,
    hostname: agent.hostname,
    lastSeenAt: since,
    at: now.toISOString(),
  };
  const alerts: OutgoingAlert[] = [...channels].sort().map((channelId) => {
    const key = `${kind}:${agent.id}:${since}:${channelId}`;
    return { channelId, dedupeKey: key, groupKey: key, payload };
  });
  await enqueueAlerts(trx, alerts, now);
}
