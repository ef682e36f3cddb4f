import type { Generated, Kysely, Selectable } from 'kysely';
import type { Database } from './schema.js';
import { appendAuditIn, type AuditEntry } from './tenant-settings.js';
import { inTenant } from './tenant-scope.js';

declare module './schema.js' {
  interface Database {
    manual_attestations: {
      id: Generated<number>;
      tenant_id: string;
      control_id: string;
      outcome: string;
      evidence_ref: string;
      reason: string;
      attested_by: string;
      attested_at: string;
      next_review_at: string;
    };
  }
}

export type StoredAttestation = Selectable<Database['manual_attestations']>;
export type NewAttestation = Omit<StoredAttestation, 'id'>;

/** Attestations of manual controls per tenant: every one kept (the database refuses changes), the latest counts. */
export class AttestationStore {
  constructor(private readonly db: Kysely<Database>) {}

  /** Records an attestation with its audit entry; `audit` sees the attestation it replaces. */
  async add(row: NewAttestation, audit: (previous: StoredAttestation | undefined) => AuditEntry): Promise<StoredAttestation> {
    return inTenant(this.db, row.tenant_id, async (trx) => {
      const previous = await trx
        .selectFrom('manual_attestations')
        .selectAll()
        .where('tenant_id', '=', row.tenant_id)
        .where('control_id', '=', row.control_id)
        .orderBy('id', 'desc')
        .limit(1)
        .executeTakeFirst();
      const inserted = await trx.insertInto('manual_attestations').values(row).returningAll().executeTakeFirstOrThrow();
      await appendAuditIn(trx, row.tenant_id, audit(previous));
      return inserted;
    });
  }

  /** The latest attestation of each control. */
  async latest(tenantId: string): Promise<Map<string, StoredAttestation>> {
    const rows = await inTenant(this.db, tenantId, (trx) => trx.selectFrom('manual_attestations').selectAll().where('tenant_id', '=', tenantId).orderBy('id').execute());
    return new Map(rows.map((r) => [r.control_id, r]));
  }

  /** A control's attestations, newest first. */
  async history(tenantId: string, controlId: string): Promise<StoredAttestation[]> {
    return inTenant(this.db, tenantId, (trx) =>
      trx.selectFrom('manual_attestations').selectAll().where('tenant_id', '=', tenantId).where('control_id', '=', controlId).orderBy('id', 'desc').limit(500).execute(),
    );
  }
}

/** The attestations of a store's tenants (stateless over the store's database). */
export function attestationStore(store: { db: Kysely<Database> }): AttestationStore {
  return new AttestationStore(store.db);
}
