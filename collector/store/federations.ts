import type { Kysely } from 'kysely';
import type { Database } from './schema.js';

/** Federations: groups of tenants sharing one network (the Dalsland model). */
export class FederationStore {
  constructor(private readonly db: Kysely<Database>) {}

  async create(id: string, name: string, members: readonly string[], now: Date): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await trx.insertInto('federations').values({ id, name, created_at: now.toISOString() }).execute();
      for (const tenantId of members) await trx.insertInto('federation_members').values({ federation_id: id, tenant_id: tenantId }).execute();
    });
  }

  async get(id: string) {
    return this.db.selectFrom('federations').selectAll().where('id', '=', id).executeTakeFirst();
  }

  async list() {
    return this.db.selectFrom('federations').selectAll().orderBy('id').execute();
  }

  async members(id: string): Promise<string[]> {
    const rows = await this.db.selectFrom('federation_members').select('tenant_id').where('federation_id', '=', id).orderBy('tenant_id').execute();
    return rows.map((r) => r.tenant_id);
  }
}
