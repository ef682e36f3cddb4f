import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../store/schema.js';
import type { AlertPayload, OutgoingAlert } from './types.js';

type Db = Kysely<Database> | Transaction<Database>;

/**
 * Writes alerts into the outbox, normally inside the transaction that caused them, so an
 * alert is committed exactly when its cause is. An alert whose dedupe key is taken is
 * skipped. `delaySeconds` holds alerts back briefly so that those of the same group that
 * arrive meanwhile (one rule failing on many hosts) go out as one.
 */
export async function enqueueAlerts(db: Db, alerts: readonly OutgoingAlert[], now: Date, delaySeconds = 0): Promise<number> {
  let inserted = 0;
  const created = now.toISOString();
  const due = new Date(now.getTime() + delaySeconds * 1000).toISOString();
  for (const a of alerts) {
    const result = await db
      .insertInto('alert_outbox')
      .values({
        dedupe_key: a.dedupeKey,
        channel_id: a.channelId,
        group_key: a.groupKey,
        tenant_id: a.payload.tenantId,
        kind: a.payload.kind,
        payload: JSON.stringify(a.payload),
        state: 'pending',
        created_at: created,
        next_attempt_at: due,
        lease_until: null,
        lease_owner: null,
        last_error: null,
        sent_at: null,
      })
      .onConflict((oc) => oc.column('dedupe_key').doNothing())
      .executeTakeFirst();
    inserted += Number(result.numInsertedOrUpdatedRows ?? 0n);
  }
  return inserted;
}

export interface ClaimedAlert {
  id: number;
  dedupeKey: string;
  channelId: string;
  groupKey: string;
  attempts: number;
  payload: AlertPayload;
}

export interface OutboxOptions {
  /** Names this process in leases; unique per running collector. */
  owner: string;
  leaseSeconds: number;
  maxAttempts: number;
  backoffSeconds: { initial: number; max: number };
  /** For tests; Math.random otherwise. */
  random?: () => number;
}

export interface OutboxDepth {
  pending: number;
  dead: number;
}

/** The delay before attempt `failures + 1`: exponential, capped, with jitter in [50 %, 100 %] so retries of many alerts spread out. */
export function backoffMs(failures: number, backoff: { initial: number; max: number }, random: () => number): number {
  const base = Math.min(backoff.max, backoff.initial * 2 ** Math.max(0, failures - 1)) * 1000;
  return Math.round(base * (0.5 + random() * 0.5));
}

/**
 * The sending side of the outbox. A row is claimed by setting a lease with a conditional
 * update, which succeeds for one process only, on SQLite and on PostgreSQL alike; a
 * process that dies holding a lease loses it when it expires.
 */
export class Outbox {
  private readonly random: () => number;

  constructor(
    readonly db: Kysely<Database>,
    private readonly options: OutboxOptions,
  ) {
    this.random = options.random ?? Math.random;
  }

  get leaseMs(): number {
    return this.options.leaseSeconds * 1000;
  }

  async claimDue(now: Date, limit = 100): Promise<ClaimedAlert[]> {
    const at = now.toISOString();
    const candidates = await this.db
      .selectFrom('alert_outbox')
      .select(['id', 'dedupe_key', 'channel_id', 'group_key', 'attempts', 'payload'])
      .where('state', '=', 'pending')
      .where('next_attempt_at', '<=', at)
      .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', at)]))
      .orderBy('id')
      .limit(limit)
      .execute();
    const leaseUntil = new Date(now.getTime() + this.options.leaseSeconds * 1000).toISOString();
    const claimed: ClaimedAlert[] = [];
    for (const row of candidates) {
      const result = await this.db
        .updateTable('alert_outbox')
        .set({ lease_until: leaseUntil, lease_owner: this.options.owner })
        .where('id', '=', row.id)
        .where('state', '=', 'pending')
        .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', at)]))
        .executeTakeFirst();
      if (Number(result.numUpdatedRows) !== 1) continue;
      claimed.push({
        id: row.id,
        dedupeKey: row.dedupe_key,
        channelId: row.channel_id,
        groupKey: row.group_key,
        attempts: row.attempts,
        payload: JSON.parse(row.payload) as AlertPayload,
      });
    }
    return claimed;
  }

  /** Gives claimed rows back without counting an attempt, due again at `dueAt` (e.g. when the rate limit has room). */
  async release(ids: readonly number[], dueAt: Date): Promise<void> {
    if (ids.length === 0) return;
    await this.db
      .updateTable('alert_outbox')
      .set({ lease_until: null, lease_owner: null, next_attempt_at: dueAt.toISOString() })
      .where('id', 'in', [...ids])
      .where('lease_owner', '=', this.options.owner)
      .execute();
  }

  async markSent(ids: readonly number[], now: Date): Promise<void> {
    if (ids.length === 0) return;
    await this.db
      .updateTable('alert_outbox')
      .set({ state: 'sent', sent_at: now.toISOString(), lease_until: null, lease_owner: null, last_error: null })
      .where('id', 'in', [...ids])
      .execute();
  }

  /** Counts a failed attempt: retried later with backoff, or dead after the last attempt. Returns how many died. */
  async markFailed(rows: readonly Pick<ClaimedAlert, 'id' | 'attempts'>[], error: string, now: Date): Promise<number> {
    const lastError = error.slice(0, 1000);
    let died = 0;
    for (const row of rows) {
      const attempts = row.attempts + 1;
      const dead = attempts >= this.options.maxAttempts;
      const next = new Date(now.getTime() + backoffMs(attempts, this.options.backoffSeconds, this.random)).toISOString();
      await this.db
        .updateTable('alert_outbox')
        .set({ attempts, last_error: lastError, state: dead ? 'dead' : 'pending', next_attempt_at: dead ? now.toISOString() : next, lease_until: null, lease_owner: null })
        .where('id', '=', row.id)
        .where('state', '=', 'pending')
        .executeTakeFirst()
        .then((r) => (dead ? (died += Number(r.numUpdatedRows)) : 0));
    }
    return died;
  }

  /** Puts dead alerts back in the queue, e.g. after a channel's configuration was fixed. */
  async retryDead(now: Date, channelId?: string): Promise<number> {
    let query = this.db.updateTable('alert_outbox').set({ state: 'pending', attempts: 0, next_attempt_at: now.toISOString() }).where('state', '=', 'dead');
    if (channelId) query = query.where('channel_id', '=', channelId);
    const result = await query.executeTakeFirst();
    return Number(result.numUpdatedRows);
  }
}

/** Deletes delivered alerts and done-marks older than `before`; dead alerts stay until handled. */
export async function purgeDelivered(db: Kysely<Database>, before: Date): Promise<number> {
  const at = before.toISOString();
  const sent = await db.deleteFrom('alert_outbox').where('state', '=', 'sent').where('sent_at', '<', at).executeTakeFirst();
  await db.deleteFrom('alert_marks').where('created_at', '<', at).execute();
  return Number(sent.numDeletedRows);
}

/** How many alerts wait to be sent and how many were given up; for the metrics endpoint. */
export async function outboxDepth(db: Kysely<Database>): Promise<OutboxDepth> {
  const rows = await db
    .selectFrom('alert_outbox')
    .select(['state', (eb) => eb.fn.countAll<number>().as('n')])
    .where('state', 'in', ['pending', 'dead'])
    .groupBy('state')
    .execute();
  const count = (state: string) => Number(rows.find((r) => r.state === state)?.n ?? 0);
  return { pending: count('pending'), dead: count('dead') };
}
