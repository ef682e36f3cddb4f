import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lintRules, loadRules, PACKAGE_ROOT, runRuleTests, type RuleSet } from '../../../../rules/engine/index.js';

/**
 * The web probe's rules (target system) run their own YAML test cases and lint clean. Only
 * these files are loaded: the same folder holds the system register's rules, tested with them.
 */
const SYSTEM_PACK = join(PACKAGE_ROOT, 'rules', 'packs', 'basvakt', 'system');
const WEB_RULES = ['BV-CRY-030', 'BV-CRY-031', 'BV-CRY-032', 'BV-CRY-033', 'BV-CRY-034', 'BV-CRY-035', 'BV-CRY-036', 'BV-SSO-010'];

describe('web rules', () => {
  let dir: string;
  let ruleSet: RuleSet;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'basvakt-web-rules-'));
    for (const id of WEB_RULES) await copyFile(join(SYSTEM_PACK, `${id}.yaml`), join(dir, `${id}.yaml`));
    ruleSet = await loadRules([dir]);
  });
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('pass their own test cases, with a passing, a failing and an unknown case each', () => {
    expect(ruleSet.rules.map((r) => r.id)).toEqual(WEB_RULES);
    const report = runRuleTests(ruleSet);
    expect(report.cases.filter((c) => !c.ok).map((c) => `${c.ruleId} "${c.caseName}": ${c.problem}`)).toEqual([]);
    expect(report.cases.length).toBeGreaterThanOrEqual(40);
    for (const rule of ruleSet.rules) {
      const expects = new Set(rule.tests.map((t) => t.expect));
      expect([rule.id, expects.has('pass'), expects.has('fail'), expects.has('unknown')]).toEqual([rule.id, true, true, true]);
    }
  });

  it('lint without errors or warnings', async () => {
    const report = await lintRules([dir]);
    expect(report.problems.map((p) => `${p.severity} ${p.file}:${p.line} ${p.field} ${p.message}`)).toEqual([]);
  });
});
