import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import type { Database } from './schema.js';

/**
 * Opens the embedded store. WAL with synchronous=FULL makes a committed transaction
 * survive a power cut, which is what lets ingest acknowledge a report only after commit.
 */
export function openSqlite(path: string): Kysely<Database> {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const sqlite = new BetterSqlite3(path);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  // A larger page cache and memory-mapped reads: findings rows with their evidence are big,
  // and the default 2 MB cache makes every upsert fetch pages from the kernel again.
  sqlite.pragma('cache_size = -65536');
  sqlite.pragma('mmap_size = 268435456');
  sqlite.pragma('temp_store = memory');
  return new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
}
