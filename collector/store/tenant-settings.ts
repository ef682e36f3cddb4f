import type { Kysely, Transaction } from 'kysely';
import type { Database } from './schema.js';
import { inTenant } from './tenant-scope.js';

// The tables of migration 009, merged into the store's Database type.
declare module './schema.js' {
  interface Database {
    tenant_rule_settings: {
      tenant_id: string;
      rule_id: string;
      params: string;
      disabled: number;
      reason: string;
      changed_by: string;
      changed_at: string;
      review_at: string | null;
    };
    tenant_network_models: { tenant_id: string; yaml: string; reason: string; changed_by: string; changed_at: string };
    tenant_rule_versions: { tenant_id: string; version: number; changed_at: string; judged_version: number; judged_at: string | null };
  }
}

export type StoredRuleSetting = Database['tenant_rule_settings'];
export type StoredNetworkModel = Database['tenant_network_models'];

/** Who changed something and why, for the audit entry written in the same transaction. */
export interface AuditEntry {
  actor: string;
  action: string;
  details: Record<string, unknown>;
  at: Date;
}

export interface SettingsVersion {
  /** Bumped by every change of the tenant's settings or network model; 0 when there never was one. */
  version: number;
  /** The version the stored findings were last re-judged with. */
  judgedVersion: number;
  changedAt: string | null;
  judgedAt: string | null;
}

export async function appendAuditIn(trx: Transaction<Database>, tenantId: string, entry: AuditEntry): Promise<void> {
  await trx.insertInto('audit_log').values({ tenant_id: tenantId, actor: entry.actor, action: entry.action, details: JSON.stringify(entry.details), at: entry.at.toISOString() }).execute();
}

/**
 * A tenant's rule settings: parameter overrides and disabled rules, each with its reason,
 * and the network model file. Every change is one transaction with its audit entry and a
 * bump of the tenant's settings version, which collector replicas compare before judging.
 */
export class TenantSettingsStore {
  constructor(private readonly db: Kysely<Database>) {}

  /** One primary-key read, done before each evaluation batch; runs outside a tenant scope for speed. */
  async version(tenantId: string): Promise<SettingsVersion> {
    const row = await this.db.selectFrom('tenant_rule_versions').selectAll().where('tenant_id', '=', tenantId).executeTakeFirst();
    return { version: row?.version ?? 0, judgedVersion: row?.judged_version ?? 0, changedAt: row?.changed_at ?? null, judgedAt: row?.judged_at ?? null };
  }

  /** Everything evaluation needs, read in one tenant-scoped transaction. */
  async load(tenantId: string): Promise<{ version: number; settings: StoredRuleSetting[]; networkModel: StoredNetworkModel | undefined }> {
    return inTenant(this.db, tenantId, async (trx) => {
      const [version, settings, networkModel] = await Promise.all([
        trx.selectFrom('tenant_rule_versions').select('version').where('tenant_id', '=', tenantId).executeTakeFirst(),
        trx.selectFrom('tenant_rule_settings').selectAll().where('tenant_id', '=', tenantId).orderBy('rule_id').execute(),
        trx.selectFrom('tenant_network_models').selectAll().where('tenant_id', '=', tenantId).executeTakeFirst(),
      ]);
      return { version: version?.version ?? 0, settings, networkModel };
    });
  }

  async list(tenantId: string): Promise<StoredRuleSetting[]> {
    return inTenant(this.db, tenantId, (trx) => trx.selectFrom('tenant_rule_settings').selectAll().where('tenant_id', '=', tenantId).orderBy('rule_id').execute());
  }

  async get(tenantId: string, ruleId: string): Promise<StoredRuleSetting | undefined> {
    return inTenant(this.db, tenantId, (trx) => trx.selectFrom('tenant_rule_settings').selectAll().where('tenant_id', '=', tenantId).where('rule_id', '=', ruleId).executeTakeFirst());
  }

  /**
   * Replaces one rule's setting (or removes it with `next` undefined: the rule at its
   * defaults). `audit` receives the previous row so the entry can show old → new.
   */
  async change(tenantId: string, ruleId: string, next: StoredRuleSetting | undefined, audit: (previous: StoredRuleSetting | undefined) => AuditEntry): Promise<StoredRuleSetting | undefined> {
    return inTenant(this.db, tenantId, async (trx) => {
      const previous = await trx.selectFrom('tenant_rule_settings').selectAll().where('tenant_id', '=', tenantId).where('rule_id', '=', ruleId).executeTakeFirst();
      const entry = audit(previous);
      if (next) {
        await trx
          .insertInto('tenant_rule_settings')
          .values(next)
          .onConflict((oc) =>
            oc.columns(['tenant_id', 'rule_id']).doUpdateSet({ params: next.params, disabled: next.disabled, reason: next.reason, changed_by: next.changed_by, changed_at: next.changed_at, review_at: next.review_at }),
          )
          .execute();
      } else {
        await trx.deleteFrom('tenant_rule_settings').where('tenant_id', '=', tenantId).where('rule_id', '=', ruleId).execute();
      }
      await bumpVersion(trx, tenantId, entry.at);
      await appendAuditIn(trx, tenantId, entry);
      return previous;
    });
  }

  async networkModel(tenantId: string): Promise<StoredNetworkModel | undefined> {
    return inTenant(this.db, tenantId, (trx) => trx.selectFrom('tenant_network_models').selectAll().where('tenant_id', '=', tenantId).executeTakeFirst());
  }

  /** Replaces (or with `next` undefined removes) the tenant's network model. */
  async changeNetworkModel(tenantId: string, next: StoredNetworkModel | undefined, audit: (previous: StoredNetworkModel | undefined) => AuditEntry): Promise<StoredNetworkModel | undefined> {
    return inTenant(this.db, tenantId, async (trx) => {
      const previous = await trx.selectFrom('tenant_network_models').selectAll().where('tenant_id', '=', tenantId).executeTakeFirst();
      const entry = audit(previous);
      if (next) {
        await trx
          .insertInto('tenant_network_models')
          .values(next)
          .onConflict((oc) => oc.column('tenant_id').doUpdateSet({ yaml: next.yaml, reason: next.reason, changed_by: next.changed_by, changed_at: next.changed_at }))
          .execute();
      } else {
        await trx.deleteFrom('tenant_network_models').where('tenant_id', '=', tenantId).execute();
      }
      await bumpVersion(trx, tenantId, entry.at);
      await appendAuditIn(trx, tenantId, entry);
      return previous;
    });
  }

  /** Records that the findings were re-judged with `version`; never moves backwards. */
  async markJudged(tenantId: string, version: number, at: Date): Promise<void> {
    await inTenant(this.db, tenantId, (trx) =>
      trx.updateTable('tenant_rule_versions').set({ judged_version: version, judged_at: at.toISOString() }).where('tenant_id', '=', tenantId).where('judged_version', '<', version).execute(),
    );
  }

  /** Tenants whose findings were not yet re-judged with their current settings. */
  async staleTenants(): Promise<string[]> {
    const rows = await this.db.selectFrom('tenant_rule_versions').select('tenant_id').whereRef('judged_version', '<', 'version').orderBy('tenant_id').execute();
    return rows.map((r) => r.tenant_id);
  }
}

async function bumpVersion(trx: Transaction<Database>, tenantId: string, at: Date): Promise<void> {
  const changedAt = at.toISOString();
  await trx
    .insertInto('tenant_rule_versions')
    .values({ tenant_id: tenantId, version: 1, changed_at: changedAt, judged_version: 0, judged_at: null })
    .onConflict((oc) => oc.column('tenant_id').doUpdateSet((eb) => ({ version: eb(eb.ref('tenant_rule_versions.version'), '+', 1), changed_at: changedAt })))
    .execute();
}

/** The settings of a store's tenants (stateless over the store's database). */
export function tenantSettingsStore(store: { db: Kysely<Database> }): TenantSettingsStore {
  return new TenantSettingsStore(store.db);
}
