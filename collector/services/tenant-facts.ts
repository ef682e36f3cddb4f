import type { Fact } from '../../report/schema.js';
import type { EvaluationTarget } from '../../rules/engine/index.js';
import { tenantTarget } from '../../rules/tenant-facts/index.js';
import type { Store } from '../store/index.js';
import { inTenant } from '../store/tenant-scope.js';

/** Kinds whose facts the tenant facts read; hosts are needed by name only. */
const FACT_KINDS = ['system', 'directory'] as const;

/**
 * The tenant target with its derived facts (coverage in people, hosts outside the
 * register), built from the latest stored facts of the tenant's targets.
 */
export async function loadTenantTarget(store: Store, tenantId: string, tenantName: string, now: Date): Promise<EvaluationTarget> {
  const targets = await inTenant(store.db, tenantId, async (db) => {
    const [targetRows, factRows] = await Promise.all([
      db.selectFrom('targets').select(['kind', 'id', 'name']).where('tenant_id', '=', tenantId).where('kind', 'in', ['host', ...FACT_KINDS]).execute(),
      db
        .selectFrom('facts')
        .select(['target_kind', 'target_id', 'name', 'status', 'source', 'collected_at', 'value', 'reason'])
        .where('tenant_id', '=', tenantId)
        .where('target_kind', 'in', [...FACT_KINDS])
        .execute(),
    ]);
    const byTarget = new Map(targetRows.map((t) => [`${t.kind}\u0000${t.id}`, { kind: t.kind, id: t.id, name: t.name, facts: [] as Fact[] }]));
    for (const row of factRows) {
      const target = byTarget.get(`${row.target_kind}\u0000${row.target_id}`);
      if (!target) continue;
      const common = { name: row.name, source: row.source, collectedAt: row.collected_at };
      target.facts.push(
        row.status === 'ok'
          ? { ...common, status: 'ok', value: JSON.parse(row.value ?? 'null') as unknown }
          : { ...common, status: row.status as 'error' | 'unsupported', reason: row.reason ?? '' },
      );
    }
    return [...byTarget.values()] as EvaluationTarget[];
  });
  return tenantTarget(tenantId, tenantName, targets, now);
}
