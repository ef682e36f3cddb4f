import { sql, type Kysely } from 'kysely';

/** The audit trail can only grow: the database refuses to change or delete an entry. */
export async function up(db: Kysely<unknown>): Promise<void> {
  if (db.getExecutor().adapter.constructor.name === 'PostgresAdapter') {
    await sql`create function basvakt_audit_append_only() returns trigger language plpgsql as $$
      begin raise exception 'revisionsloggen får bara växa (the audit trail is append-only)'; end $$`.execute(db);
    await sql`create trigger audit_log_append_only before update or delete on audit_log
      for each row execute function basvakt_audit_append_only()`.execute(db);
    return;
  }
  for (const event of ['update', 'delete']) {
    await sql`create trigger ${sql.raw(`audit_log_no_${event}`)} before ${sql.raw(event)} on audit_log
      begin select raise(abort, 'revisionsloggen får bara växa (the audit trail is append-only)'); end`.execute(db);
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  if (db.getExecutor().adapter.constructor.name === 'PostgresAdapter') {
    await sql`drop trigger audit_log_append_only on audit_log`.execute(db);
    await sql`drop function basvakt_audit_append_only()`.execute(db);
    return;
  }
  for (const event of ['update', 'delete']) await sql`drop trigger ${sql.raw(`audit_log_no_${event}`)}`.execute(db);
}
