import type { Kysely } from 'kysely';
import type { Database } from './schema.js';
import { inTenant } from './tenant-scope.js';

export type StoredWaiver = Database['waivers'];

/** Accepted risks: a rule (and optionally one target) exempted until an expiry date. */
export class WaiverStore {
  constructor(private readonly db: Kysely<Database>) {}

  async create(waiver: StoredWaiver): Promise<void> {
    await inTenant(this.db, waiver.tenant_id, (db) => db.insertInto('waivers').values(waiver).execute());
  }

  async get(tenantId: string, id: string): Promise<StoredWaiver | undefined> {
    return inTenant(this.db, tenantId, (db) => db.selectFrom('waivers').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst());
  }

  async list(tenantId: string): Promise<StoredWaiver[]> {
    return inTenant(this.db, tenantId, (db) => db.selectFrom('waivers').selectAll().where('tenant_id', '=', tenantId).orderBy('created_at', 'desc').execute());
  }

  /** Waivers in force at a moment: not revoked and not expired. An expired waiver lapses by itself. */
  async active(tenantId: string, now: Date): Promise<StoredWaiver[]> {
    return inTenant(this.db, tenantId, (db) =>
      db
      .selectFrom('waivers')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('revoked_at', 'is', null)
      .where('expires_at', '>', now.toISOString())
      .execute(),
    );
  }

  async revoke(tenantId: string, id: string, now: Date): Promise<boolean> {
    const result = await inTenant(this.db, tenantId, (db) => db.updateTable('waivers').set({ revoked_at: now.toISOString() }).where('tenant_id', '=', tenantId).where('id', '=', id).where('revoked_at', 'is', null).executeTakeFirst());
    return Number(result.numUpdatedRows) === 1;
  }
}
