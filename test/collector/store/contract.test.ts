import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEnrollmentToken, enrollAgent } from '../../../collector/services/enrollment.js';
import { openStore, type FindingInput, type Store } from '../../../collector/store/index.js';
import { hostReport, testFinding } from '../../support/reports.js';
import { disposeServersAfterAll, drivers, freshConfig, hasPostgres } from './drivers.js';

disposeServersAfterAll();

function finding(targetId: string, status: FindingInput['status']): FindingInput {
  return testFinding({ targetId, targetName: targetId, status, subjects: ['ClamAV'] });
}

/** The same behaviour, whichever database the collector runs on. */
describe.each(drivers)('the store on %s', (driver) => {
  let store: Store;
  let agentId: string;

  beforeAll(async () => {
    store = await openStore(await freshConfig(driver));
    await store.createTenant('amal', 'Åmåls kommun', new Date());
    const { token } = await createEnrollmentToken(store, { tenantId: 'amal', maxUses: 1, validForHours: 1, actor: 'test' });
    agentId = (await enrollAgent(store, { token, hostname: 'h', agentVersion: '1' })).agentId;
  }, 60_000);
  afterAll(async () => store?.close());

  it('uses an enrollment token only as often as allowed, even when raced', async () => {
    const { token } = await createEnrollmentToken(store, { tenantId: 'amal', maxUses: 2, validForHours: 1, actor: 'test' });
    const outcomes = await Promise.allSettled(Array.from({ length: 6 }, (_, i) => enrollAgent(store, { token, hostname: `race-${i}`, agentVersion: '1' })));
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(2);
  });

  it('stores a report once, however many copies arrive at the same time', async () => {
    const report = hostReport(agentId);
    const input = { tenantId: 'amal', agentId, report, receivedAt: new Date(), findings: [finding('machine-web01', 'fail')] };
    const outcomes = await Promise.all(Array.from({ length: 8 }, () => store.storeReport(structuredClone(input))));
    expect(outcomes.filter((o) => o === 'accepted')).toHaveLength(1);
    expect(outcomes.filter((o) => o === 'duplicate')).toHaveLength(7);
    expect(await store.countReports('amal')).toBe(1);
    const events = await store.db.selectFrom('finding_events').select(['kind']).where('target_id', '=', 'machine-web01').execute();
    expect(events.map((e) => e.kind)).toEqual(['new']);
  });

  it('follows a finding through resolved and regressed, and tells listeners inside the transaction', async () => {
    const seen: string[] = [];
    store.onTransitions(async (_trx, _tenant, transitions) => {
      seen.push(...transitions.map((t) => `${t.targetId}:${t.kind}`));
    });
    for (const status of ['fail', 'pass', 'fail'] as const) {
      await store.storeReport({ tenantId: 'amal', agentId, report: hostReport(agentId), receivedAt: new Date(), findings: [finding('machine-db01', status)] });
    }
    expect(seen).toEqual(['machine-db01:new', 'machine-db01:resolved', 'machine-db01:regressed']);
    const [row] = await store.listFindings('amal', { targetId: 'machine-db01' });
    expect(row?.status).toBe('fail');
    expect(row?.resolved_at).not.toBeNull();
  });

  it('filters findings and keeps tenants apart', async () => {
    await store.createTenant('bengtsfors', 'Bengtsfors kommun', new Date());
    expect(await store.listFindings('bengtsfors')).toEqual([]);
    expect((await store.listFindings('amal', { status: ['fail'], goal: 'AV' })).length).toBeGreaterThan(0);
    expect(await store.listFindings('amal', { status: ['pass'] })).toEqual([]);
  });

  it('keeps waivers, users, sessions and the audit trail', async () => {
    const now = new Date();
    await store.waivers.create({ id: 'w1', tenant_id: 'amal', rule_id: 'BV-AV-001', target_kind: '*', target_id: '*', reason: 'r', risk_owner: 'o', approved_by: 'a', created_at: now.toISOString(), expires_at: new Date(now.getTime() + 86_400_000).toISOString(), review_at: null, revoked_at: null });
    expect((await store.waivers.active('amal', now)).map((w) => w.id)).toEqual(['w1']);
    expect(await store.waivers.active('amal', new Date(now.getTime() + 2 * 86_400_000))).toEqual([]);
    await store.users.create({ id: 'u1', username: 'anna', display_name: 'Anna', password_hash: 'x', ldap_dn: null, created_at: now.toISOString(), disabled_at: null });
    await store.users.grant('u1', { role: 'viewer', scopeKind: 'tenant', scopeId: 'amal' });
    await store.users.grant('u1', { role: 'viewer', scopeKind: 'tenant', scopeId: 'amal' });
    expect(await store.users.grants('u1')).toEqual([{ role: 'viewer', scopeKind: 'tenant', scopeId: 'amal' }]);
    await store.users.recordLoginAttempt('anna', '127.0.0.1', false, now);
    expect(await store.users.failedLoginsSince('anna', new Date(now.getTime() - 1000))).toBe(1);
    await store.appendAudit('amal', 'test', 'thing.done', { n: 1 }, now);
    expect((await store.listAudit('amal')).map((a) => a.action)).toContain('thing.done');
    // Append-only, enforced by the database.
    await expect(store.db.updateTable('audit_log').set({ action: 'rewritten' }).execute()).rejects.toThrow(/append-only/);
    await expect(store.db.deleteFrom('audit_log').execute()).rejects.toThrow(/append-only/);
    expect((await store.listAudit('amal')).map((a) => a.action)).toContain('thing.done');
  });
});

describe.runIf(hasPostgres)('tenant isolation enforced by PostgreSQL itself (row-level security)', () => {
  let store: Store;

  beforeAll(async () => {
    store = await openStore(await freshConfig('postgres'));
    const now = new Date();
    for (const tenant of ['amal', 'bengtsfors']) {
      await store.createTenant(tenant, tenant, now);
      await store.appendAudit(tenant, 'test', 'marker', { tenant }, now);
      await store.waivers.create({ id: `w-${tenant}`, tenant_id: tenant, rule_id: 'BV-AV-001', target_kind: '*', target_id: '*', reason: 'r', risk_owner: 'o', approved_by: 'a', created_at: now.toISOString(), expires_at: new Date(now.getTime() + 86_400_000).toISOString(), review_at: null, revoked_at: null });
    }
  }, 60_000);
  afterAll(async () => store?.close());

  it('hides other tenants\' rows from a tenant-scoped transaction even when the query has no tenant condition', async () => {
    const { inTenant } = await import('../../../collector/store/tenant-scope.js');
    const rows = await inTenant(store.db, 'amal', (trx) => trx.selectFrom('waivers').select(['tenant_id']).execute());
    expect(rows.map((r) => r.tenant_id)).toEqual(['amal']);
    const audit = await inTenant(store.db, 'bengtsfors', (trx) => trx.selectFrom('audit_log').select(['tenant_id']).execute());
    expect(new Set(audit.map((r) => r.tenant_id))).toEqual(new Set(['bengtsfors']));
  });

  it('refuses to write a row for another tenant from a tenant-scoped transaction', async () => {
    const { inTenant } = await import('../../../collector/store/tenant-scope.js');
    await expect(
      inTenant(store.db, 'amal', (trx) => trx.insertInto('audit_log').values({ tenant_id: 'bengtsfors', actor: 'x', action: 'forged', details: '{}', at: new Date().toISOString() }).execute()),
    ).rejects.toThrow(/row-level security/);
    await expect(inTenant(store.db, 'amal', (trx) => trx.updateTable('waivers').set({ reason: 'changed' }).execute())).resolves.toBeDefined();
    expect((await store.waivers.get('bengtsfors', 'w-bengtsfors'))?.reason).toBe('r');
  });

  it('shows nothing to a connection whose tenant setting is empty or names no tenant: the policies fail closed', async () => {
    const { sql } = await import('kysely');
    const rows = await store.db.connection().execute(async (conn) => {
      await sql`set basvakt.tenant = ''`.execute(conn);
      const empty = await conn.selectFrom('waivers').selectAll().execute();
      await sql`set basvakt.tenant = 'no-such-kommun'`.execute(conn);
      const unknown = await conn.selectFrom('waivers').selectAll().execute();
      await sql`set basvakt.tenant = '*'`.execute(conn);
      return [...empty, ...unknown];
    });
    expect(rows).toEqual([]);
  });
});
