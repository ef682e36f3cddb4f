import { migrateToLatest } from './migrate.js';
import { openSqlite } from './sqlite.js';
import { Store } from './store.js';

export { Store } from './store.js';
export type * from './types.js';

export interface DatabaseConfig {
  driver: 'sqlite';
  path: string;
}

/** Opens the configured database and brings its schema up to date. */
export async function openStore(config: DatabaseConfig): Promise<Store> {
  const db = openSqlite(config.path);
  await migrateToLatest(db as never);
  return new Store(db);
}
