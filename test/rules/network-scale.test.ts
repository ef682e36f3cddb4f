import { describe, expect, it } from 'vitest';
import { evaluateTarget, loadRules, BUNDLED_RULE_DIRS } from '../../rules/engine/index.js';
import { switchFacts } from '../../report/facts/switch.js';

describe('switch rules on a large switch', () => {
  it('a 4094-VLAN, 96-port switch fits the fact catalogue and is judged within a few seconds', async () => {
    const ids = Array.from({ length: 4094 }, (_, i) => i + 1);
    const ports = Array.from({ length: 96 }, (_, i) => {
      const baseport = i + 1;
      const trunk = baseport > 90;
      return {
        baseport,
        ifIndex: 1000 + baseport,
        ifName: `te-${baseport}`,
        ifAlias: null,
        operStatus: 'up' as const,
        pvid: trunk ? 4000 : (baseport % 2 ? 10 : 110),
        ingressFiltering: true,
        dot1xControl: 'auto' as const,
        egressVlans: trunk ? ids : [baseport % 2 ? 10 : 110],
        untaggedVlans: trunk ? [] : [baseport % 2 ? 10 : 110],
        lldpNeighbour: trunk ? { sysName: 'core-01', portId: 'x', capabilities: ['bridge' as const] } : null,
      };
    });
    const vlans = ids.map((id) => ({
      id,
      name: `vlan-${id}`,
      members: ports.filter((p) => p.egressVlans.includes(id)).map((p) => ({ port: p.baseport, ifIndex: p.ifIndex, ifName: p.ifName, untagged: p.untaggedVlans.includes(id) })),
    }));
    expect(switchFacts.vlans.value.safeParse(vlans).success).toBe(true);
    expect(switchFacts.ports.value.safeParse(ports).success).toBe(true);
    const ruleSet = await loadRules(BUNDLED_RULE_DIRS);
    const at = new Date().toISOString();
    const fact = (name: string, value: unknown) => ({ name, status: 'ok' as const, source: 'test', collectedAt: at, value });
    const started = performance.now();
    const results = evaluateTarget(
      ruleSet,
      { kind: 'switch', id: 'big', name: 'big', facts: [fact('vlans', vlans), fact('ports', ports)] },
      { now: new Date(), params: { 'BV-SEG-004': { trunkAllowlist: ['core-01'] }, 'BV-SEG-001': { zones: ['ADM:10:', 'PED:110:', 'MGMT:1-9,11-109,111-4094:'] } } },
    );
    expect(performance.now() - started).toBeLessThan(5000);
    const byId = Object.fromEntries(results.map((r) => [r.ruleId, r.status]));
    expect(byId).toMatchObject({ 'BV-SEG-001': 'pass', 'BV-SEG-002': 'pass', 'BV-SEG-004': 'pass' });
  }, 30_000);
});
