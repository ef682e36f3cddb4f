import { CompiledQuery, type Transaction } from 'kysely';
import type { Database } from './schema.js';

export const CHUNK_ROWS = 200;

type Row = Record<string, unknown>;

/**
 * The SQL of multi-row inserts by shape (table, columns, number of rows, conflict keys).
 * Ingest writes rows of the same few shapes for every report; building and compiling each
 * statement with its thousand parameters through the query builder cost more than running
 * it. The SQL is compiled by Kysely once per shape, for the dialect in use, and kept
 * together with a check that its parameters are the rows' values in row and column order.
 */
const compiledSql = new Map<unknown, Map<string, string | null>>();
const MAX_SHAPES = 500;

async function executeInsert(trx: Transaction<Database>, table: keyof Database, rows: readonly Row[], keys: readonly string[] | null): Promise<void> {
  const columns = Object.keys(rows[0]!);
  const build = () => {
    const insert = trx.insertInto(table).values(rows as never);
    if (!keys) return insert;
    const updates = columns.filter((c) => !keys.includes(c));
    return insert.onConflict((oc) => oc.columns(keys as never).doUpdateSet((eb) => Object.fromEntries(updates.map((c) => [c, eb.ref(`excluded.${c}` as never)])) as never));
  };
  // Rows with other columns, or a value left undefined (which the builder leaves out), are built in full.
  let regular = true;
  const parameters: unknown[] = [];
  for (const row of rows) {
    let count = 0;
    for (const _ in row) count++;
    if (count !== columns.length) regular = false;
    for (const c of columns) {
      const value = row[c];
      if (value === undefined) regular = false;
      parameters.push(value);
    }
  }
  // One cache per dialect: it decides the SQL.
  const dialect = trx.getExecutor().adapter.constructor;
  let byShape = compiledSql.get(dialect);
  if (!byShape) compiledSql.set(dialect, (byShape = new Map()));
  const shape = `${table}\u0000${columns.join(',')}\u0000${rows.length}\u0000${keys?.join(',') ?? ''}`;
  const known = regular ? byShape.get(shape) : undefined;
  if (known) return void (await trx.executeQuery(CompiledQuery.raw(known, parameters)));
  const compiled = build().compile();
  if (regular) {
    if (byShape.size >= MAX_SHAPES) byShape.clear();
    byShape.set(shape, compiled.parameters.length === parameters.length && compiled.parameters.every((p, i) => p === parameters[i]) ? compiled.sql : null);
  }
  await trx.executeQuery(compiled);
}

/** Inserts rows, or on a key conflict overwrites every other column with the new values; in chunks. */
export async function upsertMany(trx: Transaction<Database>, table: keyof Database, rows: readonly Row[], keys: readonly string[]): Promise<void> {
  for (let i = 0; i < rows.length; i += CHUNK_ROWS) await executeInsert(trx, table, rows.slice(i, i + CHUNK_ROWS), keys);
}

/** Inserts rows in chunks. */
export async function insertMany(trx: Transaction<Database>, table: keyof Database, rows: readonly Row[]): Promise<void> {
  for (let i = 0; i < rows.length; i += CHUNK_ROWS) await executeInsert(trx, table, rows.slice(i, i + CHUNK_ROWS), null);
}
