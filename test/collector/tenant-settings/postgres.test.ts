import { rmSync } from 'node:fs';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../common/logger.js';
import { defaultCollectorConfig } from '../../../collector/config/load.js';
import { startCollector } from '../../../collector/index.js';
import { attestControl } from '../../../collector/services/attestations.js';
import { loadTenantRules, setRuleSetting } from '../../../collector/services/tenant-settings.js';
import { TenantRuleCache } from '../../../collector/services/tenant-rules.js';
import { openStore, type Store } from '../../../collector/store/index.js';
import { inTenant } from '../../../collector/store/tenant-scope.js';
import { tenantSettingsStore } from '../../../collector/store/tenant-settings.js';
import type { RuleSet } from '../../../rules/engine/index.js';
import { enrollTestAgent } from '../../support/collector.js';
import { hostReport, okFact } from '../../support/reports.js';
import { requirePrograms } from '../../support/require.js';
import { postgresBin, startPostgres } from '../../support/servers/postgres.mjs';
import { customPackDir, rulesWithControl, TEST_CONTROL } from './helpers.js';

const hasPostgres = requirePrograms('PostgreSQL rule settings', [`${postgresBin() ?? '/usr/lib/postgresql/15/bin'}/initdb`, 'runuser']);

/** The new tables on a real PostgreSQL: row-level security per tenant, append-only attestations, settings shared by replicas. */
describe.runIf(hasPostgres)('tenant rule settings on PostgreSQL', () => {
  let postgres: Awaited<ReturnType<typeof startPostgres>>;
  let replicaA: Store;
  let replicaB: Store;
  let ruleSet: RuleSet;
  const now = new Date('2026-11-23T08:00:00Z');

  beforeAll(async () => {
    postgres = await startPostgres();
    postgres.createDatabase('settings');
    replicaA = await openStore(postgres.config('settings'));
    replicaB = await openStore(postgres.config('settings'));
    ruleSet = await rulesWithControl();
    for (const tenant of ['amal', 'bengtsfors']) {
      await replicaA.createTenant(tenant, tenant, now);
      const ctx = { store: replicaA, ruleSet };
      await setRuleSetting(ctx, tenant, 'BV-AV-002', { params: { maxSignatureAgeDays: tenant === 'amal' ? 2 : 5 }, reason: `${tenant}: beslut om signaturålder` }, 'test', now);
      await attestControl(ctx, tenant, TEST_CONTROL.id, { outcome: 'met', evidenceRef: `${tenant} KS 2026/1`, reason: `${tenant}: rutinen är fastställd` }, 'test', now);
    }
  }, 120_000);
  afterAll(async () => {
    await replicaA?.close();
    await replicaB?.close();
    postgres?.dispose();
  });

  const TABLES = ['tenant_rule_settings', 'tenant_network_models', 'tenant_rule_versions', 'manual_attestations'] as const;

  it('shows a tenant-scoped transaction only its own settings, versions and attestations, even without a tenant condition', async () => {
    for (const table of TABLES) {
      const rows = await inTenant(replicaA.db, 'amal', (trx) => trx.selectFrom(table).select('tenant_id').execute());
      expect(new Set(rows.map((r) => r.tenant_id)), table).toEqual(table === 'tenant_network_models' ? new Set() : new Set(['amal']));
    }
  });

  it('refuses to write another tenant\'s settings or attestations from a tenant-scoped transaction', async () => {
    await expect(
      inTenant(replicaA.db, 'amal', (trx) =>
        trx.insertInto('tenant_rule_settings').values({ tenant_id: 'bengtsfors', rule_id: 'BV-FW-001', params: '{}', disabled: 1, reason: 'förfalskad', changed_by: 'x', changed_at: now.toISOString(), review_at: null }).execute(),
      ),
    ).rejects.toThrow(/row-level security/);
    await expect(
      inTenant(replicaA.db, 'amal', (trx) =>
        trx.insertInto('manual_attestations').values({ tenant_id: 'bengtsfors', control_id: TEST_CONTROL.id, outcome: 'not_met', evidence_ref: 'x', reason: 'förfalskad', attested_by: 'x', attested_at: now.toISOString(), next_review_at: now.toISOString() }).execute(),
      ),
    ).rejects.toThrow(/row-level security/);
    // An update without a tenant condition touches only the scoped tenant's rows.
    await inTenant(replicaA.db, 'amal', (trx) => trx.updateTable('tenant_rule_versions').set({ version: 99 }).execute());
    expect((await replicaA.db.selectFrom('tenant_rule_versions').select(['tenant_id', 'version']).orderBy('tenant_id').execute()).map((r) => [r.tenant_id, r.version])).toEqual([['amal', 99], ['bengtsfors', 1]]);
  });

  it('shows nothing to a connection with no tenant set: the policies fail closed', async () => {
    const rows = await replicaA.db.connection().execute(async (conn) => {
      await sql`set basvakt.tenant = ''`.execute(conn);
      const seen = [];
      for (const table of TABLES) seen.push(...(await conn.selectFrom(table).select('tenant_id').execute()));
      await sql`set basvakt.tenant = '*'`.execute(conn);
      return seen;
    });
    expect(rows).toEqual([]);
  });

  it('keeps attestations append-only in the database', async () => {
    await expect(replicaA.db.updateTable('manual_attestations').set({ outcome: 'not_met' }).execute()).rejects.toThrow(/append-only/);
    await expect(replicaA.db.deleteFrom('manual_attestations').execute()).rejects.toThrow(/append-only/);
  });

  it('gives a change made on one replica to the other at its next evaluation', async () => {
    const cacheB = new TenantRuleCache(replicaB, ruleSet);
    const before = await cacheB.current('bengtsfors');
    expect(before.params['BV-AV-002']).toEqual({ maxSignatureAgeDays: 5 });
    expect(await cacheB.current('bengtsfors')).toBe(before);
    await setRuleSetting({ store: replicaA, ruleSet }, 'bengtsfors', 'BV-AV-002', { disabled: true, reason: 'bengtsfors: virusskyddet byts ut' }, 'test', now);
    const after = await cacheB.current('bengtsfors');
    expect(after.version).toBe(before.version + 1);
    expect(after.params['BV-AV-002']).toBeUndefined();
    expect(after.disabled.get('BV-AV-002')?.reason).toBe('bengtsfors: virusskyddet byts ut');
    expect((await loadTenantRules(replicaB, ruleSet, 'amal')).params['BV-AV-002']).toEqual({ maxSignatureAgeDays: 2 });
  });

  it('judges a report sent to one collector with the settings changed through the other', async () => {
    postgres.createDatabase('replicas');
    const packDir = customPackDir();
    const config = defaultCollectorConfig({ listen: { host: '127.0.0.1', port: 0 }, database: postgres.config('replicas'), rules: { directories: [packDir] } });
    const [a, b] = await Promise.all([startCollector(config, silentLogger), startCollector(config, silentLogger)]);
    try {
      await a!.store.createTenant('amal', 'Åmåls kommun', now);
      const agent = await enrollTestAgent(a!.store, 'amal');
      const send = async () => {
        const report = hostReport(agent.agentId, {}, [
          okFact('antivirus', { products: [{ name: 'ClamAV', kind: 'clamav', installed: true, running: true, realTimeProtection: true, signatureVersion: '1', signatureDate: null, signatureAgeDays: 4, signaturesUpToDate: null, mode: null }] }),
        ]);
        const response = await fetch(`${b!.url}/api/v1/reports`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: agent.auth }, body: JSON.stringify(report) });
        expect(response.status).toBe(201);
        const [finding] = await b!.store.listFindings('amal', { ruleIds: ['BV-AV-002'] });
        return finding?.status;
      };
      expect(await send()).toBe('pass');
      // Changed through replica A (as the API does), then the next report goes to replica B.
      await setRuleSetting({ store: a!.store, ruleSet: a!.evaluator.ruleSet, onChanged: (tenant) => a!.rejudger.schedule(tenant) }, 'amal', 'BV-AV-002', { params: { maxSignatureAgeDays: 2 }, reason: 'BITS AV-02: högst två dygn' }, 'test', new Date());
      expect(await send()).toBe('fail');
      await a!.rejudger.idle();
      expect((await tenantSettingsStore(b!.store).version('amal'))).toMatchObject({ version: 1, judgedVersion: 1 });
    } finally {
      await a!.close();
      await b!.close();
      rmSync(packDir, { recursive: true, force: true });
    }
  });
});
