import { afterAll } from 'vitest';
import type { DatabaseConfig } from '../../../collector/store/index.js';
import { requirePrograms } from '../../support/require.js';
import { postgresBin, startPostgres } from '../../support/servers/postgres.mjs';

/** The store suites run on SQLite, and on a private PostgreSQL when it is installed. */
export const hasPostgres = requirePrograms('PostgreSQL store', [postgresBin() ? `${postgresBin()}/initdb` : '/usr/lib/postgresql/15/bin/initdb', 'runuser']);
export const drivers: ('sqlite' | 'postgres')[] = hasPostgres ? ['sqlite', 'postgres'] : ['sqlite'];

let postgres: Awaited<ReturnType<typeof startPostgres>> | undefined;
let databases = 0;

/** Registers the PostgreSQL server's disposal; call once at the top of a suite file. */
export function disposeServersAfterAll(): void {
  afterAll(() => {
    postgres?.dispose();
    postgres = undefined;
  });
}

/** A configuration for an empty database of its own (PostgreSQL is started on first use). */
export async function freshConfig(driver: 'sqlite' | 'postgres', sqlitePath = ':memory:'): Promise<DatabaseConfig> {
  if (driver === 'sqlite') return { driver: 'sqlite', path: sqlitePath };
  postgres ??= await startPostgres();
  const name = `store_${process.pid}_${++databases}`;
  postgres.createDatabase(name);
  return postgres.config(name);
}
