import type { Kysely } from 'kysely';

/**
 * Ingest reads a target's previous findings by (tenant, target). The primary key starts with
 * the rule id, so without this index that read scanned every finding of the tenant and
 * ingest slowed down as the tenant grew.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createIndex('findings_by_target').on('findings').columns(['tenant_id', 'target_id', 'target_kind']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('findings_by_target').execute();
}
