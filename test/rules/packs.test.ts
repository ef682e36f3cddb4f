import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  BUNDLED_RULE_DIRS,
  lintRules,
  loadRules,
  OS_LIFECYCLE_FILE,
  PACKAGE_ROOT,
  runRuleTests,
  type RuleSet,
} from '../../rules/engine/index.js';

/** The bundled rules by pack folder; a new rule file is added to its folder's list. */
const PACK_RULES: Record<string, string[]> = {
  host: ['BV-AGT-001', 'BV-AV-001', 'BV-AV-002', 'BV-CRY-001', 'BV-CRY-002', 'BV-CRY-004', 'BV-FW-001', 'BV-ID-001', 'BV-ID-002', 'BV-LOG-001', 'BV-LOG-002', 'BV-LOG-003', 'BV-PAT-001', 'BV-PAT-002', 'BV-PAT-003'],
  tenant: ['BV-AV-010', 'BV-CRY-005', 'BV-MFA-010', 'BV-OWN-010', 'BV-SSO-001'],
  directory: [
    'BV-ACC-001', 'BV-ACC-002', 'BV-ACC-003', 'BV-ACC-004', 'BV-ACC-007', 'BV-ACC-008', 'BV-ACC-009', 'BV-ACC-010', 'BV-ACC-011', 'BV-ACC-012', 'BV-CRY-020', 'BV-ID-010',
    'BV-PAT-010', 'BV-PWD-001', 'BV-PWD-002', 'BV-PWD-003', 'BV-PWD-004', 'BV-PWD-005', 'BV-PWD-006', 'BV-PWD-007', 'BV-PWD-008',
  ],
  switch: ['BV-CRY-010', 'BV-IPP-001', 'BV-IPP-002', 'BV-NET-001', 'BV-SEG-001', 'BV-SEG-002', 'BV-SEG-003', 'BV-SEG-004', 'BV-SEG-005', 'BV-SEG-006', 'BV-SEG-007', 'BV-SEG-008'],
  segment: ['BV-SEG-010', 'BV-SEG-011'],
  system: [
    'BV-ACC-020', 'BV-BAK-001', 'BV-BAK-002', 'BV-CLS-001', 'BV-CRY-030', 'BV-CRY-031', 'BV-CRY-032', 'BV-CRY-033', 'BV-CRY-034', 'BV-CRY-035', 'BV-CRY-036',
    'BV-DRF-001', 'BV-DRF-002', 'BV-ID-020', 'BV-LOG-010', 'BV-MFA-001', 'BV-OWN-001', 'BV-OWN-002', 'BV-REM-001', 'BV-SSO-010', 'BV-SSP-001', 'BV-SSP-002',
  ],
  manual: ['BV-ACC-M01', 'BV-BAK-M01', 'BV-CON-M01', 'BV-INC-M01', 'BV-PAT-M01', 'BV-PROC-M01', 'BV-PROC-M02', 'BV-PROC-M03', 'BV-SUP-M01', 'BV-TRN-M01'],
};

describe('bundled rule packs', () => {
  let ruleSet: RuleSet;

  it('are found from the sources, next to package.json', () => {
    expect(existsSync(join(PACKAGE_ROOT, 'package.json'))).toBe(true);
    expect(BUNDLED_RULE_DIRS).toEqual([join(PACKAGE_ROOT, 'rules', 'packs')]);
    expect(existsSync(OS_LIFECYCLE_FILE)).toBe(true);
  });

  it('load without problems', async () => {
    ruleSet = await loadRules(BUNDLED_RULE_DIRS);
    expect(ruleSet.all.map((r) => r.id).sort()).toEqual(Object.values(PACK_RULES).flat().sort());
    expect(ruleSet.manual.map((r) => r.id)).toEqual(PACK_RULES.manual);
    expect(ruleSet.aggregates.map((r) => r.id)).toEqual(['BV-AV-010']);
  });

  it("pass every rule's own test cases", async () => {
    ruleSet ??= await loadRules(BUNDLED_RULE_DIRS);
    const report = runRuleTests(ruleSet);
    const failures = report.cases.filter((c) => !c.ok).map((c) => `${c.ruleId} "${c.caseName}": ${c.problem}`);
    expect(failures).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.cases.length).toBeGreaterThanOrEqual(ruleSet.rules.length * 3);
  });

  it('have at least one passing, one failing and one unknown case per rule', async () => {
    ruleSet ??= await loadRules(BUNDLED_RULE_DIRS);
    for (const rule of ruleSet.rules) {
      const expects = new Set(rule.tests.map((t) => t.expect));
      expect([rule.id, expects.has('pass'), expects.has('fail'), expects.has('unknown')]).toEqual([rule.id, true, true, true]);
    }
  });

  it('lint clean: no errors and no warnings', async () => {
    const report = await lintRules(BUNDLED_RULE_DIRS);
    expect(report.problems.map((p) => `${p.severity} ${p.file}:${p.line} ${p.field} ${p.message}`)).toEqual([]);
    expect(report.rules).toBe(Object.values(PACK_RULES).flat().length);
  });

  it('have Swedish and English text that differ (not copied)', async () => {
    ruleSet ??= await loadRules(BUNDLED_RULE_DIRS);
    for (const rule of ruleSet.all) {
      for (const text of [rule.title, rule.rationale, rule.remediation]) {
        expect(text.sv).not.toEqual(text.en);
        expect(text.sv.length).toBeGreaterThan(10);
      }
    }
  });
});
