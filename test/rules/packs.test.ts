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

describe('bundled rule packs', () => {
  let ruleSet: RuleSet;

  it('are found from the sources, next to package.json', () => {
    expect(existsSync(join(PACKAGE_ROOT, 'package.json'))).toBe(true);
    expect(BUNDLED_RULE_DIRS).toEqual([join(PACKAGE_ROOT, 'rules', 'packs')]);
    expect(existsSync(OS_LIFECYCLE_FILE)).toBe(true);
  });

  it('load without problems', async () => {
    ruleSet = await loadRules(BUNDLED_RULE_DIRS);
    expect(ruleSet.rules.map((r) => r.id)).toEqual([
      'BV-AV-001',
      'BV-AV-002',
      'BV-AV-010',
      'BV-CRY-001',
      'BV-CRY-002',
      'BV-FW-001',
      'BV-ID-001',
      'BV-ID-002',
      'BV-LOG-001',
      'BV-LOG-002',
      'BV-LOG-003',
      'BV-PAT-001',
      'BV-PAT-002',
      'BV-PAT-003',
    ]);
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
    expect(report.rules).toBe(14);
  });

  it('have Swedish and English text that differ (not copied)', async () => {
    ruleSet ??= await loadRules(BUNDLED_RULE_DIRS);
    for (const rule of ruleSet.rules) {
      for (const text of [rule.title, rule.rationale, rule.remediation]) {
        expect(text.sv).not.toEqual(text.en);
        expect(text.sv.length).toBeGreaterThan(10);
      }
    }
  });
});
