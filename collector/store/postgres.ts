import { readFileSync } from 'node:fs';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { Database } from './schema.js';

export interface PostgresConfig {
  driver: 'postgres';
  host: string;
  port: number;
  database: string;
  user: string;
  /** The password comes from a file, never from the config itself. */
  passwordFile?: string | undefined;
  /** Verify the server certificate against this CA; TLS is used whenever it is set. */
  caFile?: string | undefined;
  poolSize: number;
}

/**
 * Opens PostgreSQL for several collector replicas. Every acknowledged report is committed
 * with PostgreSQL's default synchronous commit, the same promise SQLite's FULL sync gives.
 */
export function openPostgres(config: PostgresConfig, onIdleError?: (error: Error) => void): Kysely<Database> {
  const pool = new pg.Pool({
    host: config.host,
    port: config.port,
    database: config.database,
    user: config.user,
    password: config.passwordFile ? readFileSync(config.passwordFile, 'utf8').replace(/\r?\n$/, '') : undefined,
    ssl: config.caFile ? { ca: readFileSync(config.caFile, 'utf8'), rejectUnauthorized: true } : undefined,
    max: config.poolSize,
    application_name: 'basvakt-collector',
    // System work sees every tenant; tenant-scoped work narrows this per transaction (tenant-scope.ts).
    options: '-c basvakt.tenant=*',
  });
  // An idle connection dropped by a database restart must not crash the collector: the pool
  // replaces it, and a query that fails meanwhile is answered 503 so the agent retries.
  pool.on('error', (error) => onIdleError?.(error));
  // The same for a connection that is checked out between two queries of a transaction.
  pool.on('connect', (client) => client.on('error', (error) => onIdleError?.(error)));
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
}
