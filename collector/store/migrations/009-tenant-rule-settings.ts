import { sql, type Kysely } from 'kysely';
import { serialKey } from './columns.js';

const TENANT_TABLES = ['tenant_rule_settings', 'tenant_network_models', 'tenant_rule_versions', 'manual_attestations'];

/**
 * Per tenant: parameter overrides and disabled rules (each with a reason), the network
 * model file, a version counter that every change bumps (replicas compare it before judging),
 * and the attestations of manual controls (history kept, append-only like the audit trail).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('tenant_rule_settings')
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
    .addColumn('rule_id', 'text', (c) => c.notNull())
    /** JSON object of parameter overrides; `{}` when the setting only disables the rule. */
    .addColumn('params', 'text', (c) => c.notNull())
    .addColumn('disabled', 'integer', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('changed_by', 'text', (c) => c.notNull())
    .addColumn('changed_at', 'text', (c) => c.notNull())
    .addColumn('review_at', 'text')
    .addPrimaryKeyConstraint('tenant_rule_settings_pk', ['tenant_id', 'rule_id'])
    .execute();

  await db.schema
    .createTable('tenant_network_models')
    .addColumn('tenant_id', 'text', (c) => c.primaryKey().references('tenants.id'))
    .addColumn('yaml', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('changed_by', 'text', (c) => c.notNull())
    .addColumn('changed_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('tenant_rule_versions')
    .addColumn('tenant_id', 'text', (c) => c.primaryKey().references('tenants.id'))
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('changed_at', 'text', (c) => c.notNull())
    /** The version the tenant's stored findings were last re-judged with; behind `version` while stale. */
    .addColumn('judged_version', 'integer', (c) => c.notNull())
    .addColumn('judged_at', 'text')
    .execute();

  await db.schema
    .createTable('manual_attestations')
    .addColumn('id', 'integer', serialKey(db))
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
    .addColumn('control_id', 'text', (c) => c.notNull())
    /** met or not_met. */
    .addColumn('outcome', 'text', (c) => c.notNull())
    .addColumn('evidence_ref', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('attested_by', 'text', (c) => c.notNull())
    .addColumn('attested_at', 'text', (c) => c.notNull())
    .addColumn('next_review_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('manual_attestations_latest').on('manual_attestations').columns(['tenant_id', 'control_id', 'id']).execute();

  if (db.getExecutor().adapter.constructor.name === 'PostgresAdapter') {
    // The same policy 004 gives every tenant table.
    for (const table of TENANT_TABLES) {
      await sql`alter table ${sql.table(table)} enable row level security`.execute(db);
      await sql`alter table ${sql.table(table)} force row level security`.execute(db);
      await sql`create policy basvakt_tenant_isolation on ${sql.table(table)}
        using (current_setting('basvakt.tenant', true) = '*' or tenant_id = current_setting('basvakt.tenant', true))
        with check (current_setting('basvakt.tenant', true) = '*' or tenant_id = current_setting('basvakt.tenant', true))`.execute(db);
    }
    await sql`create function basvakt_attestations_append_only() returns trigger language plpgsql as $$
      begin raise exception 'intygen får bara växa (attestations are append-only)'; end $$`.execute(db);
    await sql`create trigger manual_attestations_append_only before update or delete on manual_attestations
      for each row execute function basvakt_attestations_append_only()`.execute(db);
    return;
  }
  for (const event of ['update', 'delete']) {
    await sql`create trigger ${sql.raw(`manual_attestations_no_${event}`)} before ${sql.raw(event)} on manual_attestations
      begin select raise(abort, 'intygen får bara växa (attestations are append-only)'); end`.execute(db);
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  if (db.getExecutor().adapter.constructor.name === 'PostgresAdapter') {
    await sql`drop trigger manual_attestations_append_only on manual_attestations`.execute(db);
    await sql`drop function basvakt_attestations_append_only()`.execute(db);
  } else {
    for (const event of ['update', 'delete']) await sql`drop trigger ${sql.raw(`manual_attestations_no_${event}`)}`.execute(db);
  }
  // Dropping a table drops its policies with it.
  for (const table of [...TENANT_TABLES].reverse()) await db.schema.dropTable(table).execute();
}
