import { readFileSync } from 'node:fs';
import { Kysely, PostgresDialect, type PostgresPool, type PostgresPoolClient } from 'kysely';
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
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool: withPreparedWrites(pool) }) });
}

/** Executions after which a write statement is prepared on each connection that runs it. */
const PREPARE_AFTER = 10;
/** Statements prepared per connection at most; each holds a plan in the server. */
const PREPARED_PER_CONNECTION = 64;

/**
 * Ingest runs the same few large writes for every report (the findings of 60 rules are one
 * insert with a thousand parameters). Sent as unnamed statements, PostgreSQL parses and
 * plans each one again; frequent ones are prepared by name instead, once per connection.
 * Only inserts, updates and deletes without `returning`: they have no result columns, so a
 * schema change on another replica cannot make a prepared plan invalid.
 */
function withPreparedWrites(pool: pg.Pool): PostgresPool {
  const seen = new Map<string, number>();
  const names = new Map<string, string>();
  const prepared = new WeakMap<pg.PoolClient, Set<string>>();
  const nameFor = (text: string, client: pg.PoolClient): string | undefined => {
    let name = names.get(text);
    if (!name) {
      const count = (seen.get(text) ?? 0) + 1;
      if (seen.size > 10_000) seen.clear();
      seen.set(text, count);
      if (count < PREPARE_AFTER || !/^(insert|update|delete) /i.test(text) || /\breturning\b/i.test(text)) return undefined;
      names.set(text, (name = `basvakt_${names.size + 1}`));
    }
    let onConnection = prepared.get(client);
    if (!onConnection) prepared.set(client, (onConnection = new Set()));
    if (!onConnection.has(name)) {
      if (onConnection.size >= PREPARED_PER_CONNECTION) return undefined;
      onConnection.add(name);
    }
    return name;
  };
  return {
    async connect(): Promise<PostgresPoolClient> {
      const client = await pool.connect();
      return {
        query: ((sql: unknown, parameters?: readonly unknown[]) => {
          if (typeof sql !== 'string' || !parameters?.length) return client.query(sql as never, parameters as never);
          const name = nameFor(sql, client);
          return client.query(name ? { name, text: sql, values: [...parameters] } : { text: sql, values: [...parameters] });
        }) as unknown as PostgresPoolClient['query'],
        release: () => client.release(),
      };
    },
    end: () => pool.end(),
  };
}
