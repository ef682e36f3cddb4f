import type { Kysely } from 'kysely';
import { serialKey } from './columns.js';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('alert_outbox')
    .addColumn('id', 'integer', serialKey(db))
    /** Unique per channel and event: a second enqueue of the same alert is a no-op. */
    .addColumn('dedupe_key', 'text', (c) => c.notNull().unique())
    .addColumn('channel_id', 'text', (c) => c.notNull())
    .addColumn('group_key', 'text', (c) => c.notNull())
    .addColumn('tenant_id', 'text')
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull())
    /** pending, sent or dead (gave up; stays visible until retried or purged). */
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('next_attempt_at', 'text', (c) => c.notNull())
    .addColumn('lease_until', 'text')
    .addColumn('lease_owner', 'text')
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('last_error', 'text')
    .addColumn('sent_at', 'text')
    .execute();
  await db.schema.createIndex('alert_outbox_due').on('alert_outbox').columns(['state', 'next_attempt_at']).execute();

  /** Things done once: a route's digest for a tenant and day. */
  await db.schema
    .createTable('alert_marks')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  /** One row per silence episode of an agent, keyed by when it was last heard. */
  await db.schema
    .createTable('agent_silences')
    .addColumn('agent_id', 'text', (c) => c.notNull())
    .addColumn('since', 'text', (c) => c.notNull())
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('detected_at', 'text', (c) => c.notNull())
    .addColumn('back_at', 'text')
    .addPrimaryKeyConstraint('agent_silences_pk', ['agent_id', 'since'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['agent_silences', 'alert_marks', 'alert_outbox']) await db.schema.dropTable(table).execute();
}
