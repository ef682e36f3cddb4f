import { copyFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { loadRegister, registerTargets } from '../../../agent/register/index.js';
import { validateReport } from '../../../report/validate.js';
import { evaluateTarget, lintRules, loadRules, runRuleTests, type RuleSet } from '../../../rules/engine/index.js';
import { PACKAGE_ROOT } from '../../../rules/engine/paths.js';
import { EXAMPLE_YAML, useTempDir } from './support.js';

/**
 * The register rules, run through the rule engine's own test runner and lint. Until the
 * `register` fact is merged into the catalogue's `system` entry (report/facts/index.ts), the
 * catalogue is extended here with report/facts/register.ts, the spec it will merge.
 */
vi.mock('../../../report/facts/index.js', async (importOriginal) => {
  const original = await importOriginal<typeof import('../../../report/facts/index.js')>();
  const { registerFacts } = await import('../../../report/facts/register.js');
  const catalogue = { ...original.FACT_CATALOGUE, system: { ...registerFacts, ...original.FACT_CATALOGUE.system } };
  return {
    ...original,
    FACT_CATALOGUE: catalogue,
    factSpec: (kind: keyof typeof catalogue, name: string) => (Object.hasOwn(catalogue[kind], name) ? catalogue[kind][name as never] : undefined),
  };
});

const RULE_IDS = [
  'BV-ACC-020',
  'BV-BAK-001',
  'BV-BAK-002',
  'BV-CLS-001',
  'BV-DRF-001',
  'BV-DRF-002',
  'BV-ID-020',
  'BV-LOG-010',
  'BV-MFA-001',
  'BV-OWN-001',
  'BV-OWN-002',
  'BV-REM-001',
  'BV-SSP-001',
  'BV-SSP-002',
];
const SOURCE = join(PACKAGE_ROOT, 'rules', 'packs', 'basvakt', 'system');

describe('system register rules', () => {
  const tempDir = useTempDir('basvakt-register-rules-');
  let ruleSet: RuleSet;

  beforeAll(async () => {
    // Only these rules: the same folder holds the web probe's rules, on facts tested elsewhere.
    for (const id of RULE_IDS) await copyFile(join(SOURCE, `${id}.yaml`), join(tempDir(), `${id}.yaml`));
    ruleSet = await loadRules([tempDir()]);
  });

  it('load, and pass every test case of their own', () => {
    expect(ruleSet.rules.map((r) => r.id)).toEqual(RULE_IDS);
    const report = runRuleTests(ruleSet);
    expect(report.cases.filter((c) => !c.ok).map((c) => `${c.ruleId} "${c.caseName}": expected ${c.expected}, got ${c.actual} ${c.problem ?? c.reason ?? ''}`)).toEqual([]);
    for (const rule of ruleSet.rules) {
      const expects = new Set(rule.tests.map((t) => t.expect));
      expect([rule.id, expects.has('pass'), expects.has('fail'), expects.has('unknown')]).toEqual([rule.id, true, true, true]);
    }
  });

  it('lint without errors or warnings', async () => {
    const report = await lintRules([tempDir()]);
    expect(report.problems.map((p) => `${p.severity} ${p.ruleId} ${p.field} ${p.message}`)).toEqual([]);
  });

  it('judge the example register: every weak entry is found, nothing missing passes', async () => {
    const loaded = await loadRegister(EXAMPLE_YAML);
    const targets = registerTargets(loaded.register, loaded.file, { lines: loaded.lines, collectedAt: new Date('2026-11-23T05:00:00Z') });
    const validation = validateReport({
      schemaVersion: 1,
      reportId: '00000000-0000-4000-8000-000000000001',
      agent: { id: 'agent-1', version: 'test', hostname: 'test' },
      createdAt: '2026-11-23T05:00:00Z',
      targets,
    });
    expect(validation.ok, JSON.stringify(validation)).toBe(true);
    const now = new Date('2026-11-23T06:00:00Z');
    const results = targets.flatMap((t) => evaluateTarget(ruleSet, t, { now }));
    const failing = (ruleId: string) => results.filter((r) => r.ruleId === ruleId && r.status === 'fail').map((r) => r.targetId).sort();
    const status = (ruleId: string, targetId: string) => results.find((r) => r.ruleId === ruleId && r.targetId === targetId)?.status;
    expect(failing('BV-OWN-001')).toEqual(['skolplattform']);
    expect(failing('BV-DRF-001')).toEqual(['ciceron', 'tieto-education']);
    expect(failing('BV-DRF-002')).toEqual(['visma-lon']);
    expect(failing('BV-CLS-001')).toEqual(['ciceron']);
    expect(failing('BV-MFA-001')).toEqual(['lifecare']);
    expect(failing('BV-REM-001')).toEqual(['e-post', 'skolplattform']);
    expect(failing('BV-BAK-001')).toEqual(['visma-lon']);
    expect(failing('BV-BAK-002')).toEqual(['tieto-education']);
    expect(failing('BV-ACC-020')).toEqual(['tieto-education']);
    expect(failing('BV-ID-020')).toEqual(['ciceron']);
    expect(failing('BV-SSP-001')).toEqual(['skolplattform']);
    expect(failing('BV-LOG-010')).toEqual(['ciceron']);
    // Ciceron is not classified: whether it is sensitive is unknown, never a pass.
    expect(status('BV-MFA-001', 'ciceron')).toBe('unknown');
    expect(status('BV-SSP-001', 'tieto-education')).toBe('not_applicable');
    const source = results.find((r) => r.ruleId === 'BV-OWN-001' && r.targetId === 'skolplattform')!;
    expect(JSON.stringify(source.evidence)).toContain('system-register.example.yaml:');
  });
});
