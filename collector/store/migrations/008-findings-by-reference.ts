import { sql, type Kysely } from 'kysely';
import { inlineAllEvidence } from '../evidence.js';

/**
 * Findings keep their evidence by reference and are keyed by target.
 *
 * - `evidence_paths`: the evidence paths of a finding judged from a report; the values are
 *   read from that report (`report_id`, immutable) when the finding is shown. `evidence` is
 *   then null. Findings whose evidence is not read from a report (tenant-wide rules) and
 *   rows written before this migration keep their values inline in `evidence`.
 * - The primary key starts with the target instead of the rule, so the findings of one
 *   report are neighbours in the index: ingest writes a few pages instead of one per rule.
 *   The key also serves ingest's read of a target's previous findings, which made the
 *   separate `findings_by_target` index redundant.
 * - `finding_events_tenant_at` is a prefix of `finding_events_trend` and is dropped.
 *
 * SQLite cannot change a primary key in place, so there the table is rebuilt; PostgreSQL
 * alters it, which keeps its row-level security policy.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('finding_events_tenant_at').execute();
  if (isPostgres(db)) {
    await db.schema.alterTable('findings').addColumn('evidence_paths', 'text').execute();
    await db.schema.alterTable('findings').alterColumn('evidence', (c) => c.dropNotNull()).execute();
    await db.schema.alterTable('findings').dropConstraint('findings_pk').execute();
    await db.schema.alterTable('findings').addPrimaryKeyConstraint('findings_pk', ['tenant_id', 'target_kind', 'target_id', 'rule_id']).execute();
    await db.schema.dropIndex('findings_by_target').execute();
    return;
  }
  await rebuildFindings(db, { key: ['tenant_id', 'target_kind', 'target_id', 'rule_id'], byReference: true });
}

export async function down(db: Kysely<unknown>): Promise<void> {
  // Values are put back inline first: the old layout has no references.
  await inlineAllEvidence(db as never);
  if (isPostgres(db)) {
    await db.schema.createIndex('findings_by_target').on('findings').columns(['tenant_id', 'target_id', 'target_kind']).execute();
    await db.schema.alterTable('findings').dropConstraint('findings_pk').execute();
    await db.schema.alterTable('findings').addPrimaryKeyConstraint('findings_pk', ['tenant_id', 'rule_id', 'target_kind', 'target_id']).execute();
    await db.schema.alterTable('findings').dropColumn('evidence_paths').execute();
    await db.schema.alterTable('findings').alterColumn('evidence', (c) => c.setNotNull()).execute();
  } else {
    await rebuildFindings(db, { key: ['tenant_id', 'rule_id', 'target_kind', 'target_id'], byReference: false });
    await db.schema.createIndex('findings_by_target').on('findings').columns(['tenant_id', 'target_id', 'target_kind']).execute();
  }
  await db.schema.createIndex('finding_events_tenant_at').on('finding_events').columns(['tenant_id', 'at']).execute();
}

function isPostgres(db: Kysely<unknown>): boolean {
  return db.getExecutor().adapter.constructor.name === 'PostgresAdapter';
}

const COLUMNS = ['tenant_id', 'rule_id', 'target_kind', 'target_id', 'target_name', 'status', 'reason', 'subjects', 'evidence', 'params', 'severity', 'goals', 'first_seen_at', 'status_since', 'last_evaluated_at', 'report_id', 'resolved_at'];

/** SQLite: a new findings table with the given key, the rows copied over, and its indexes made again. */
async function rebuildFindings(db: Kysely<unknown>, layout: { key: string[]; byReference: boolean }): Promise<void> {
  let table = db.schema
    .createTable('findings_rebuilt')
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('rule_id', 'text', (c) => c.notNull())
    .addColumn('target_kind', 'text', (c) => c.notNull())
    .addColumn('target_id', 'text', (c) => c.notNull())
    .addColumn('target_name', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('reason', 'text')
    .addColumn('subjects', 'text', (c) => c.notNull())
    .addColumn('evidence', 'text', (c) => (layout.byReference ? c : c.notNull()));
  if (layout.byReference) table = table.addColumn('evidence_paths', 'text');
  await table
    .addColumn('params', 'text', (c) => c.notNull())
    .addColumn('severity', 'text', (c) => c.notNull())
    .addColumn('goals', 'text', (c) => c.notNull())
    .addColumn('first_seen_at', 'text', (c) => c.notNull())
    .addColumn('status_since', 'text', (c) => c.notNull())
    .addColumn('last_evaluated_at', 'text', (c) => c.notNull())
    .addColumn('report_id', 'text')
    .addColumn('resolved_at', 'text')
    .addPrimaryKeyConstraint('findings_pk', layout.key as never)
    .execute();
  const columns = sql.join(COLUMNS.map((c) => sql.ref(c)));
  await sql`insert into findings_rebuilt (${columns}) select ${columns} from findings`.execute(db);
  await db.schema.dropTable('findings').execute();
  await db.schema.alterTable('findings_rebuilt').renameTo('findings').execute();
  await db.schema.createIndex('findings_tenant_status').on('findings').columns(['tenant_id', 'status']).execute();
  await db.schema.createIndex('findings_overview').on('findings').columns(['tenant_id', 'rule_id', 'goals', 'severity', 'status']).execute();
}
