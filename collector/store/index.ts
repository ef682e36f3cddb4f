import { migrateToLatest } from './migrate.js';
import { openPostgres, type PostgresConfig } from './postgres.js';
import { openSqlite } from './sqlite.js';
import { Store } from './store.js';

export { Store } from './store.js';
export type * from './types.js';
export type { PostgresConfig } from './postgres.js';

export interface SqliteConfig {
  driver: 'sqlite';
  path: string;
}

export type DatabaseConfig = SqliteConfig | PostgresConfig;

/** Opens the configured database and brings its schema up to date. */
export async function openStore(config: DatabaseConfig): Promise<Store> {
  const db = config.driver === 'postgres' ? openPostgres(config) : openSqlite(config.path);
  try {
    await migrateToLatest(db as never);
  } catch (error) {
    await db.destroy();
    throw error;
  }
  return new Store(db);
}
