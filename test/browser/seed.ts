import { BUNDLED_RULE_DIRS, loadRules } from '../../rules/engine/index.js';
import type { FindingInput } from '../../collector/store/index.js';
import type { World } from '../collector/api/world.js';
import { hostReport } from '../support/reports.js';

const DAY = 86_400_000;
const RULES = ['BV-AV-001', 'BV-AV-002', 'BV-FW-001', 'BV-LOG-001', 'BV-PAT-001', 'BV-CRY-001', 'BV-ID-001'];

/**
 * More of Åmål for the pages to show: six hosts reporting over two weeks, so the trend has
 * a history, findings pass, fail and are unknown, and evidence is stored.
 */
export async function seedAmal(world: World): Promise<void> {
  const rules = await loadRules(BUNDLED_RULE_DIRS);
  const agentId = world.ids.amal.agentId;
  const end = world.clock.now.getTime();
  const days = [14, 9, 4, 1];
  for (const [round, ago] of days.entries()) {
    for (let n = 1; n <= 6; n++) {
      const name = `amal-pc0${n}`;
      const report = hostReport(agentId);
      report.targets[0]!.name = name;
      report.targets[0]!.id = `machine-${name}`;
      const findings: FindingInput[] = RULES.map((ruleId, i) => {
        const rule = rules.byId.get(ruleId)!;
        // Fewer failures with each round: the kommun is fixing things.
        const failing = (n + i) % (round + 2) === 0;
        const unknown = !failing && ruleId === 'BV-LOG-001' && n === 6;
        return {
          ruleId,
          targetKind: 'host',
          targetId: `machine-${name}`,
          targetName: name,
          status: failing ? 'fail' : unknown ? 'unknown' : 'pass',
          ...(unknown ? { reason: 'host.logging: kunde inte samlas in (could not be collected)' } : {}),
          subjects: failing ? [`${name}-subject`] : [],
          evidence: [{ path: rule.evidence[0] ?? 'host.os', value: failing ? { active: false } : { active: true }, source: 'test fixture', collectedAt: new Date(end - ago * DAY).toISOString(), status: 'ok' }],
          params: {},
          severity: rule.severity,
          goals: [...rule.goals],
        };
      });
      await world.store.storeReport({ tenantId: 'amal', agentId, report, receivedAt: new Date(end - ago * DAY), findings });
    }
  }
}
