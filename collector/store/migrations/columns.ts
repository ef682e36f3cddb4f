import type { ColumnDefinitionBuilder, Kysely } from 'kysely';

/** An auto-numbered primary key in the dialect's own idiom. */
export function serialKey(db: Kysely<unknown>) {
  const isSqlite = db.getExecutor().adapter.constructor.name === 'SqliteAdapter';
  return (c: ColumnDefinitionBuilder) => (isSqlite ? c.primaryKey().autoIncrement() : c.primaryKey().generatedByDefaultAsIdentity());
}
