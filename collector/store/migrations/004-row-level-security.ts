import { sql, type Kysely } from 'kysely';

/** Every table that holds one tenant's data. */
const TENANT_TABLES = ['agents', 'enrollment_tokens', 'api_tokens', 'reports', 'targets', 'facts', 'findings', 'finding_events', 'waivers', 'audit_log'];

/**
 * PostgreSQL only: tenant isolation in the database as well as in the application. A row
 * is visible and writable only when `basvakt.tenant` names its tenant, or is `*` (system
 * work). FORCE makes the policies bind the tables' owner too, which is the collector's role.
 * Unset, the setting hides every row: the policies fail closed.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  if (db.getExecutor().adapter.constructor.name !== 'PostgresAdapter') return;
  for (const table of TENANT_TABLES) {
    await sql`alter table ${sql.table(table)} enable row level security`.execute(db);
    await sql`alter table ${sql.table(table)} force row level security`.execute(db);
    await sql`create policy basvakt_tenant_isolation on ${sql.table(table)}
      using (current_setting('basvakt.tenant', true) = '*' or tenant_id = current_setting('basvakt.tenant', true))
      with check (current_setting('basvakt.tenant', true) = '*' or tenant_id = current_setting('basvakt.tenant', true))`.execute(db);
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  if (db.getExecutor().adapter.constructor.name !== 'PostgresAdapter') return;
  for (const table of TENANT_TABLES) {
    await sql`drop policy basvakt_tenant_isolation on ${sql.table(table)}`.execute(db);
    await sql`alter table ${sql.table(table)} disable row level security`.execute(db);
  }
}
