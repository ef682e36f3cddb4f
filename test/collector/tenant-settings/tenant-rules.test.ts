import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadTenantRules, setNetworkModel, setRuleSetting } from '../../../collector/services/tenant-settings.js';
import { applyDisabled, TenantRuleCache } from '../../../collector/services/tenant-rules.js';
import { openStore, type Store } from '../../../collector/store/index.js';
import { tenantSettingsStore } from '../../../collector/store/tenant-settings.js';
import type { RuleSet } from '../../../rules/engine/index.js';
import { testFinding } from '../../support/reports.js';
import { rulesWithControl } from './helpers.js';

const MODEL = ['kommun: amal', 'kommuner:', '  amal:', '    zones:', '      ADM: { vlans: [10, "11-59"], ranges: [10.1.0.0/20] }', '      PED: { vlans: ["110-159"], ranges: [10.1.16.0/20] }', '  bengtsfors:', '    zones:', '      ADM: { ranges: [10.2.0.0/20] }', 'trunkAllowlist: [core-01]'].join('\n');

/** What evaluation receives for a tenant: the network model under the explicit overrides, disabled rules, stale settings named. */
describe('a tenant\'s rules as evaluation sees them', () => {
  let store: Store;
  let ruleSet: RuleSet;
  const now = new Date('2026-11-23T08:00:00Z');

  beforeAll(async () => {
    store = await openStore({ driver: 'sqlite', path: ':memory:' });
    await store.createTenant('amal', 'Åmåls kommun', now);
    ruleSet = await rulesWithControl();
  });
  afterAll(async () => store.close());

  it('turns the network model into parameters, with explicit overrides laid over them', async () => {
    const ctx = { store, ruleSet };
    await setNetworkModel(ctx, 'amal', { yaml: MODEL, reason: 'IP-planen 2026 från kommunalförbundet' }, 'test', now);
    await setRuleSetting(ctx, 'amal', 'BV-SEG-002', { params: { zones: ['ADM:10:'] }, reason: 'bara kansliets VLAN räknas här' }, 'test', now);
    const rules = await loadTenantRules(store, ruleSet, 'amal');
    expect(rules.params['BV-SEG-001']).toMatchObject({ zones: ['ADM:10,11-59:', 'PED:110-159:'] });
    expect(rules.params['BV-SEG-002']).toMatchObject({ zones: ['ADM:10:'] });
    const withRanges = Object.entries(rules.params).find(([, p]) => 'otherRanges' in p);
    expect(withRanges?.[1]).toMatchObject({ otherRanges: ['bengtsfors=10.2.0.0/20'] });
    expect(rules.problems).toEqual([]);
  });

  it('names a stored setting the loaded rules no longer accept, and leaves it out', async () => {
    await tenantSettingsStore(store).change(
      'amal',
      'BV-AV-002',
      { tenant_id: 'amal', rule_id: 'BV-AV-002', params: JSON.stringify({ maxSignatureAgeHours: 48 }), disabled: 0, reason: 'sparad med ett äldre regelpaket', changed_by: 'test', changed_at: now.toISOString(), review_at: null },
      () => ({ actor: 'test', action: 'rule-setting.changed', details: {}, at: now }),
    );
    const rules = await loadTenantRules(store, ruleSet, 'amal');
    expect(rules.params['BV-AV-002']).toBeUndefined();
    expect(rules.problems).toEqual([expect.objectContaining({ path: 'BV-AV-002.maxSignatureAgeHours', message: expect.stringContaining('används inte') })]);
  });

  it('reads the settings again only when their version moved', async () => {
    const cache = new TenantRuleCache(store, ruleSet);
    const first = await cache.current('amal');
    expect(await cache.current('amal')).toBe(first);
    await setRuleSetting({ store, ruleSet }, 'amal', 'BV-FW-001', { disabled: true, reason: 'brandväggen sköts av förbundet' }, 'test', now);
    const second = await cache.current('amal');
    expect(second).not.toBe(first);
    expect(second.version).toBe(first.version + 1);
    expect([...second.disabled.keys()]).toEqual(['BV-FW-001']);
  });

  it('makes a disabled rule\'s findings disabled, with who and why, and leaves the others alone', async () => {
    const rules = await loadTenantRules(store, ruleSet, 'amal');
    const [fw, av] = applyDisabled([testFinding({ ruleId: 'BV-FW-001', status: 'pass' }), testFinding({ ruleId: 'BV-AV-001', status: 'fail' })], rules);
    expect(fw).toMatchObject({ status: 'disabled', subjects: [], reason: expect.stringContaining('brandväggen sköts av förbundet') });
    expect(fw!.reason).toContain('test 2026-11-23');
    expect(av).toMatchObject({ status: 'fail' });
  });
});
