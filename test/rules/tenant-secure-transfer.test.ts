import { beforeAll, describe, expect, it } from 'vitest';
import type { Fact } from '../../report/schema.js';
import { tenantFacts } from '../../report/facts/tenant.js';
import { BUNDLED_RULE_DIRS, evaluateTarget, loadRules, type EvaluationTarget, type RuleSet } from '../../rules/engine/index.js';
import { tenantTarget } from '../../rules/tenant-facts/index.js';
import { okFact } from '../support/reports.js';

/** CRY-05 from the register: systems marked secureTransfer, checked against the web probe's endpoints fact. */
const NOW = new Date('2026-11-23T08:00:00Z');

function system(id: string, entry: Record<string, unknown>, tlsModes?: (string | null)[]): EvaluationTarget {
  const facts: Fact[] = [okFact('register', { name: id, category: 'business', ...entry })];
  if (tlsModes) facts.push(okFact('endpoints', { endpoints: tlsModes.map((tlsMode) => ({ protocol: 'smtp', host: `${id}.amal.se`, port: 25, tlsMode })) }));
  return { kind: 'system', id, name: id, facts };
}

let rules: RuleSet;
beforeAll(async () => {
  rules = await loadRules(BUNDLED_RULE_DIRS);
});

function judge(targets: EvaluationTarget[]) {
  const tenant = tenantTarget('amal', 'Åmål', targets, NOW);
  const fact = tenant.facts.find((f) => f.name === 'registerCoverage');
  if (fact?.status !== 'ok') throw new Error(JSON.stringify(fact));
  expect(tenantFacts.registerCoverage.value.safeParse(fact.value).success).toBe(true);
  const result = evaluateTarget(rules, tenant, { now: NOW }).find((r) => r.ruleId === 'BV-CRY-005')!;
  return { secureTransfer: (fact.value as { secureTransfer: unknown }).secureTransfer, result };
}

describe('secure transfer in registerCoverage and BV-CRY-005', () => {
  it('lists the systems marked secureTransfer with TLS as the endpoints fact shows it', () => {
    const { secureTransfer, result } = judge([
      system('sftp', { secureTransfer: true }),
      system('post', { secureTransfer: true }, ['starttls', null]),
      system('fil', { secureTransfer: true }, ['implicit', 'none']),
      system('lon', { secureTransfer: false }, ['none']),
      system('ciceron', {}),
    ]);
    expect(secureTransfer).toEqual([
      { id: 'sftp', name: 'sftp', endpointsTls: null },
      { id: 'post', name: 'post', endpointsTls: true },
      { id: 'fil', name: 'fil', endpointsTls: false },
    ]);
    expect(result).toMatchObject({ status: 'pass' });
  });

  it('fails when no system offers secure transfer, or the only one was seen without TLS', () => {
    expect(judge([system('lon', {}), system('ciceron', { secureTransfer: false })]).result).toMatchObject({ status: 'fail', subjects: [] });
    expect(judge([system('post', { secureTransfer: true }, ['none'])]).result).toMatchObject({ status: 'fail', subjects: ['post'] });
  });

  it('is unknown, not failed, when an unreadable register entry might be the secure one', () => {
    const broken: EvaluationTarget = { kind: 'system', id: 'x', name: 'SFTP', facts: [{ name: 'register', status: 'error', source: 'register.yaml:4', collectedAt: NOW.toISOString(), reason: 'ogiltigt värde' }] };
    expect(judge([broken, system('lon', {})]).result).toMatchObject({ status: 'unknown' });
  });
});
