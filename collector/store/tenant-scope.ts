import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from './schema.js';

/** The PostgreSQL setting the row-level security policies compare `tenant_id` with. */
export const TENANT_SETTING = 'basvakt.tenant';
/** The setting's value for system work (authentication, migrations, jobs): every tenant. */
export const ALL_TENANTS = '*';

export function isPostgres(db: Kysely<Database>): boolean {
  return db.getExecutor().adapter.constructor.name === 'PostgresAdapter';
}

/**
 * Runs `fn` in a transaction that the database itself limits to one tenant: on PostgreSQL
 * the row-level security policies hide, and refuse to write, every other tenant's rows
 * even if a query forgot its `where tenant_id`. SQLite has no such policies; there the
 * queries' own conditions are the only guard.
 */
export async function inTenant<T>(db: Kysely<Database>, tenantId: string, fn: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
  if (tenantId === ALL_TENANTS) throw new Error('a tenant scope needs one tenant');
  return db.transaction().execute(async (trx) => {
    if (isPostgres(db)) await sql`select set_config(${TENANT_SETTING}, ${tenantId}, true)`.execute(trx);
    return fn(trx);
  });
}
