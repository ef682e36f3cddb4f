import type { PostgresConfig } from '../../../collector/store/index.js';

export interface PostgresServer {
  dir: string;
  port: number;
  /** Connection settings for a database owned by the basvakt role, password in a file. */
  config(database?: string): PostgresConfig;
  createDatabase(name: string): void;
  /** Stops the server (fast shutdown) and keeps the data directory for a restart. */
  stop(): void;
  start(): void;
  dispose(): void;
}

export function postgresBin(): string | undefined;
export function startPostgres(): Promise<PostgresServer>;
