import { Migrator, type Kysely, type Migration, type MigrationProvider } from 'kysely';
import * as initial from './migrations/001-initial.js';
import * as lifecycleUsersWaivers from './migrations/002-lifecycle-users-waivers.js';
import * as alerts from './migrations/003-alerts.js';
import * as rowLevelSecurity from './migrations/004-row-level-security.js';
import * as auditAppendOnly from './migrations/005-audit-append-only.js';
import * as overviewIndexes from './migrations/006-overview-indexes.js';
import * as findingsByTarget from './migrations/007-findings-by-target.js';
import * as findingsByReference from './migrations/008-findings-by-reference.js';
import * as tenantRuleSettings from './migrations/009-tenant-rule-settings.js';

/** Migrations are listed in code (not read from a folder) so the compiled build carries them. */
const MIGRATIONS: Record<string, Migration> = {
  '001-initial': initial,
  '002-lifecycle-users-waivers': lifecycleUsersWaivers,
  '003-alerts': alerts,
  '004-row-level-security': rowLevelSecurity,
  '005-audit-append-only': auditAppendOnly,
  '006-overview-indexes': overviewIndexes,
  '007-findings-by-target': findingsByTarget,
  '008-findings-by-reference': findingsByReference,
  '009-tenant-rule-settings': tenantRuleSettings,
};

const provider: MigrationProvider = { getMigrations: async () => MIGRATIONS };

export async function migrateToLatest(db: Kysely<unknown>): Promise<string[]> {
  const migrator = new Migrator({ db, provider, migrationTableName: 'basvakt_migrations', migrationLockTableName: 'basvakt_migrations_lock' });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new Error(`database migration ${failed} failed: ${error instanceof Error ? error.message : String(error)}`);
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
