import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  evaluateAggregates,
  evaluateTarget,
  loadRules,
  ParamsError,
  validateParamOverrides,
  type EvaluationTarget,
  type RuleResult,
  type RuleSet,
} from '../../rules/engine/index.js';
import { COLLECTED_AT, failedFact, linuxOs, okFact, removeDir, ruleYaml, windowsOs, writeRuleDir } from './support.js';

const NOW = new Date('2026-11-23T12:00:00Z');

const product = (overrides: Record<string, unknown> = {}) => ({
  name: 'ClamAV',
  kind: 'clamav',
  installed: true,
  running: true,
  realTimeProtection: true,
  signatureVersion: '27469',
  signatureDate: '2026-11-23T00:00:00Z',
  signatureAgeDays: 0.5,
  signaturesUpToDate: null,
  mode: null,
  ...overrides,
});

const RULES: Record<string, string> = {
  'T-OS-001.yaml': ruleYaml('T-OS-001', { evidence: '[host.os.platform, host.os.version]' }),
  'T-AV-001.yaml': ruleYaml('T-AV-001', {
    facts: '[os, antivirus]',
    applies: `'host.os.platform == "windows"'`,
    check: `'host.antivirus.products.exists(p, p.running == true)'`,
    evidence: '[host.antivirus.products.name, host.os.platform]',
  }),
  'T-ERR-001.yaml': ruleYaml('T-ERR-001', { check: `'host.os.nosuch == "x"'` }),
  'T-DYN-001.yaml': ruleYaml('T-DYN-001', { check: 'host.os.id' }),
  'T-UW-001.yaml': ruleYaml('T-UW-001', {
    unknownWhen: '\n  - when: host.os.isServer == null\n    reason: { sv: Okänt om server, en: Unknown whether a server }',
    check: 'host.os.isServer == true',
  }),
  'T-NUM-001.yaml': ruleYaml('T-NUM-001', {
    facts: '[antivirus]',
    params: '{ minCount: 1, maxAge: 7, names: [] }',
    check: `>-
  size(host.antivirus.products) >= params.minCount
  && host.antivirus.products.all(p, p.signatureAgeDays <= params.maxAge)
  && double(size(host.antivirus.products)) * 100.0 / 2.0 >= 50.0
  && daysSince(host.antivirus.products[0].signatureDate) < 2
  && daysSince(host.antivirus.products[0].signatureDate) < 2.0
  && (size(params.names) == 0 || host.antivirus.products.all(p, p.name in params.names))`,
    subjects: 'host.antivirus.products.map(p, size(p.name))',
    evidence: '[host.antivirus.products.signatureAgeDays]',
  }),
  'T-EOL-001.yaml': ruleYaml('T-EOL-001', {
    check: `'daysUntilEndOfLife(host.os) > 0 && daysUntilEndOfLife(host.os.id, host.os.version) > 0.0'`,
    subjects: "'[endOfLifeLabel(host.os)]'",
  }),
  'T-EVID-001.yaml': ruleYaml('T-EVID-001', {
    facts: '[localAdmins, listeningServices]',
    check: `'!host.listeningServices.sockets.exists(s, s.cleartext)'`,
    evidence: '[host.localAdmins.accounts.name, host.listeningServices.sockets]',
  }),
  'tenant/T-AGG-001.yaml': ruleYaml('T-AGG-001', {
    target: 'tenant',
    facts: '',
    aggregate: '{ rules: [T-OS-001, T-UW-001] }',
    params: '{ min: 100 }',
    check: 'aggregate.passPercent >= params.min',
    subjects: 'aggregate.failedTargets',
    evidence: '[aggregate.total, aggregate.passPercent, aggregate.unknown]',
  }),
};

let dir: string;
let ruleSet: RuleSet;

beforeAll(async () => {
  dir = await writeRuleDir(RULES);
  ruleSet = await loadRules([dir]);
});
afterAll(async () => removeDir(dir));

function host(facts: EvaluationTarget['facts'], id = 'h1'): EvaluationTarget {
  return { kind: 'host', id, name: `${id}.kommun.se`, facts };
}

function result(results: RuleResult[], ruleId: string): RuleResult {
  const r = results.find((x) => x.ruleId === ruleId);
  if (!r) throw new Error(`no result for ${ruleId}`);
  return r;
}

function evaluate(facts: EvaluationTarget['facts'], ruleId: string, params?: Record<string, Record<string, unknown>>): RuleResult {
  return result(evaluateTarget(ruleSet, host(facts), { now: NOW, params }), ruleId);
}

describe('evaluateTarget', () => {
  it('evaluates every non-aggregate rule of the target kind, in id order', () => {
    const results = evaluateTarget(ruleSet, host([okFact('os', linuxOs())]), { now: NOW });
    expect(results.map((r) => r.ruleId)).toEqual(['T-AV-001', 'T-DYN-001', 'T-EOL-001', 'T-ERR-001', 'T-EVID-001', 'T-NUM-001', 'T-OS-001', 'T-UW-001']);
    expect(evaluateTarget(ruleSet, { kind: 'switch', id: 's', name: 's', facts: [] }, { now: NOW })).toEqual([]);
  });

  it('passes and fails on the check', () => {
    expect(evaluate([okFact('os', linuxOs())], 'T-OS-001').status).toBe('pass');
    const fail = evaluate([okFact('os', windowsOs())], 'T-OS-001');
    expect(fail.status).toBe('fail');
    expect(fail.reason).toBeUndefined();
    expect(fail).toMatchObject({ targetKind: 'host', targetId: 'h1', targetName: 'h1.kommun.se', severity: 'low', goals: ['AV'] });
  });

  describe('unknown is not pass', () => {
    it('a missing fact gives unknown naming the fact, without evaluating the check', () => {
      const r = evaluate([], 'T-OS-001');
      expect(r.status).toBe('unknown');
      expect(r.reason).toBe('host.os: saknas i rapporten (missing from the report)');
    });

    it('a failed fact gives unknown with the fact and its reason', () => {
      expect(evaluate([failedFact('os', 'error', 'permission denied')], 'T-OS-001').reason).toBe(
        'host.os: kunde inte samlas in (could not be collected): permission denied',
      );
      expect(evaluate([failedFact('os', 'unsupported', 'no probe on AIX')], 'T-OS-001').reason).toBe(
        'host.os: stöds inte på målet (not supported on the target): no probe on AIX',
      );
    });

    it('names every unavailable fact', () => {
      const r = evaluate([failedFact('antivirus', 'error', 'WMI timeout')], 'T-AV-001');
      expect(r.status).toBe('unknown');
      expect(r.reason).toContain('host.os: saknas i rapporten');
      expect(r.reason).toContain('host.antivirus: kunde inte samlas in (could not be collected): WMI timeout');
    });

    it('a CEL runtime error gives unknown with the message', () => {
      const r = evaluate([okFact('os', linuxOs())], 'T-ERR-001');
      expect(r.status).toBe('unknown');
      expect(r.reason).toBe('regeln kunde inte beräknas (the rule could not be evaluated) [check]: No such key: nosuch');
    });

    it('a check that yields no boolean gives unknown', () => {
      const r = evaluate([okFact('os', linuxOs())], 'T-DYN-001');
      expect(r.status).toBe('unknown');
      expect(r.reason).toContain('did not yield a boolean');
    });

    it('unknownWhen gives unknown with its reason', () => {
      expect(evaluate([okFact('os', linuxOs({ isServer: null }))], 'T-UW-001')).toMatchObject({
        status: 'unknown',
        reason: 'Okänt om server (Unknown whether a server)',
      });
      expect(evaluate([okFact('os', linuxOs({ isServer: true }))], 'T-UW-001').status).toBe('pass');
      expect(evaluate([okFact('os', linuxOs({ isServer: false }))], 'T-UW-001').status).toBe('fail');
    });

    it('an OS missing from the lifecycle table gives unknown', () => {
      const r = evaluate([okFact('os', linuxOs({ id: 'fedora', version: '41' }))], 'T-EOL-001');
      expect(r.status).toBe('unknown');
      expect(r.reason).toContain('fedora 41 finns inte i livscykeltabellen');
    });
  });

  describe('not applicable', () => {
    it('applies false gives not_applicable', () => {
      const r = evaluate([okFact('os', linuxOs()), okFact('antivirus', { products: [] })], 'T-AV-001');
      expect(r.status).toBe('not_applicable');
      expect(r.reason).toContain('does not apply');
    });

    it('applies decided from the facts that are there: n/a even when another fact failed', () => {
      const r = evaluate([okFact('os', linuxOs()), failedFact('antivirus', 'error', 'timeout')], 'T-AV-001');
      expect(r.status).toBe('not_applicable');
    });

    it('applies true with a failed fact gives unknown', () => {
      const r = evaluate([okFact('os', windowsOs()), failedFact('antivirus', 'error', 'timeout')], 'T-AV-001');
      expect(r.status).toBe('unknown');
      expect(r.reason).toBe('host.antivirus: kunde inte samlas in (could not be collected): timeout');
    });
  });

  describe('numbers: CEL ints (size) and doubles (JSON numbers, params, functions)', () => {
    const facts = (age: number) => [okFact('antivirus', { products: [product({ signatureAgeDays: age, signatureDate: '2026-11-22T12:00:00Z' })] })];

    it('compares and computes across int and double', () => {
      expect(evaluate(facts(3), 'T-NUM-001').status).toBe('pass');
      expect(evaluate(facts(8), 'T-NUM-001').status).toBe('fail');
    });

    it('daysSince uses the evaluation time from options', () => {
      const f = facts(1);
      expect(result(evaluateTarget(ruleSet, host(f), { now: new Date('2026-11-23T12:00:00Z') }), 'T-NUM-001').status).toBe('pass');
      expect(result(evaluateTarget(ruleSet, host(f), { now: new Date('2026-11-25T12:00:00Z') }), 'T-NUM-001').status).toBe('fail');
    });

    it('turns int subjects into strings', () => {
      const r = evaluate(facts(8), 'T-NUM-001');
      expect(r.subjects).toEqual(['6']);
    });

    it('daysUntilEndOfLife and endOfLifeLabel', () => {
      expect(evaluate([okFact('os', linuxOs())], 'T-EOL-001').status).toBe('pass');
      const r = evaluate([okFact('os', linuxOs({ version: '11' }))], 'T-EOL-001');
      expect(r.status).toBe('fail');
      expect(r.subjects).toEqual(['Debian 11 (bullseye) (EOL 2026-08-31)']);
    });
  });

  describe('evidence', () => {
    it('carries path, value, source and time of collection', () => {
      const r = evaluate([okFact('os', linuxOs(), 'cat /etc/os-release')], 'T-OS-001');
      expect(r.evidence).toEqual([
        { path: 'host.os.platform', value: 'linux', source: 'cat /etc/os-release', collectedAt: COLLECTED_AT, status: 'ok' },
        { path: 'host.os.version', value: '12', source: 'cat /etc/os-release', collectedAt: COLLECTED_AT, status: 'ok' },
      ]);
    });

    it('shows why a value is missing', () => {
      const r = evaluate([failedFact('antivirus', 'error', 'timeout')], 'T-AV-001');
      expect(r.evidence).toEqual([
        { path: 'host.antivirus.products.name', value: null, source: 'probe antivirus', collectedAt: COLLECTED_AT, status: 'error' },
        { path: 'host.os.platform', value: null, source: null, collectedAt: null, status: 'missing' },
      ]);
    });

    it('maps paths over lists and caps long lists', () => {
      const sockets = Array.from({ length: 150 }, (_, i) => ({
        protocol: 'tcp', address: '0.0.0.0', port: 1000 + i, process: null, pid: null, service: null, cleartext: false, loopbackOnly: false,
      }));
      const r = evaluate(
        [
          okFact('localAdmins', { accounts: [{ name: 'root', origin: 'local', via: 'uid0', enabled: true }, { name: 'kalle', origin: 'local', via: 'sudo', enabled: true }] }),
          okFact('listeningServices', { sockets }),
        ],
        'T-EVID-001',
      );
      expect(r.evidence[0]!.value).toEqual(['root', 'kalle']);
      expect((r.evidence[1]!.value as unknown[]).length).toBe(100);
      expect(r.evidence[1]!.omitted).toBe(50);
    });

    it('carries the parameters used', () => {
      const f = [okFact('antivirus', { products: [product()] })];
      expect(evaluate(f, 'T-NUM-001').params).toEqual({ minCount: 1, maxAge: 7, names: [] });
      expect(evaluate(f, 'T-NUM-001', { 'T-NUM-001': { maxAge: 2 } }).params).toEqual({ minCount: 1, maxAge: 2, names: [] });
    });
  });

  describe('parameter overrides', () => {
    const f = [okFact('antivirus', { products: [product({ signatureAgeDays: 5 })] })];

    it('change the result', () => {
      expect(evaluate(f, 'T-NUM-001').status).toBe('pass');
      expect(evaluate(f, 'T-NUM-001', { 'T-NUM-001': { maxAge: 2 } }).status).toBe('fail');
      expect(evaluate(f, 'T-NUM-001', { 'T-NUM-001': { names: ['Sophos'] } }).status).toBe('fail');
      expect(evaluate(f, 'T-NUM-001', { 'T-NUM-001': { names: ['ClamAV'] } }).status).toBe('pass');
    });

    it('refuse unknown keys, wrong types and unknown rules', () => {
      const bad = { 'T-NUM-001': { maxAgeDays: 2, minCount: '1', names: [1] }, 'T-NOPE-001': { x: 1 } };
      expect(() => evaluateTarget(ruleSet, host(f), { now: NOW, params: bad })).toThrow(ParamsError);
      const problems = validateParamOverrides(ruleSet, bad);
      expect(problems.map((p) => p.path)).toEqual(['T-NUM-001.maxAgeDays', 'T-NUM-001.minCount', 'T-NUM-001.names', 'T-NOPE-001']);
      expect(problems[0]!.message).toContain('okänd parameter "maxAgeDays"');
      expect(problems[1]!.message).toContain('a number');
      expect(problems[2]!.message).toContain('a list of strings');
      expect(() => evaluateTarget(ruleSet, host(f), { now: NOW, params: { 'T-OS-001': { anything: true } } })).toThrow(/unknown parameter/);
    });
  });

  it('results are plain JSON (no BigInt, no Map)', () => {
    const results = [
      ...evaluateTarget(ruleSet, host([okFact('os', linuxOs()), okFact('antivirus', { products: [product({ signatureAgeDays: 9 })] })]), { now: NOW }),
      ...evaluateTarget(ruleSet, host([]), { now: NOW }),
    ];
    expect(JSON.parse(JSON.stringify(results))).toEqual(results);
  });
});

describe('evaluateAggregates', () => {
  // T-AGG-001 needs T-OS-001 (platform linux) and T-UW-001 (isServer true; null → unknown) to pass per host.
  const hostResults = (specs: Array<{ platform: 'linux' | 'windows'; isServer: boolean | null } | 'missing'>) =>
    specs.flatMap((spec, i) => {
      const facts = spec === 'missing' ? [] : [okFact('os', spec.platform === 'linux' ? linuxOs({ isServer: spec.isServer }) : windowsOs({ isServer: spec.isServer }))];
      return evaluateTarget(ruleSet, host(facts, `h${i + 1}`), { now: NOW });
    });
  const aggregate = (results: RuleResult[], params?: Record<string, Record<string, unknown>>) => {
    const out = evaluateAggregates(ruleSet, results, { now: NOW, tenantId: 'amal', tenantName: 'Åmåls kommun', params });
    expect(out).toHaveLength(1);
    return out[0]!;
  };

  it('passes when every target passes all the rules', () => {
    const r = aggregate(hostResults([{ platform: 'linux', isServer: true }, { platform: 'linux', isServer: true }]));
    expect(r).toMatchObject({ ruleId: 'T-AGG-001', targetKind: 'tenant', targetId: 'amal', targetName: 'Åmåls kommun', status: 'pass' });
    expect(r.evidence).toEqual([
      { path: 'aggregate.total', value: 2, source: 'basvakt: T-OS-001, T-UW-001', collectedAt: NOW.toISOString(), status: 'ok' },
      { path: 'aggregate.passPercent', value: 100, source: 'basvakt: T-OS-001, T-UW-001', collectedAt: NOW.toISOString(), status: 'ok' },
      { path: 'aggregate.unknown', value: 0, source: 'basvakt: T-OS-001, T-UW-001', collectedAt: NOW.toISOString(), status: 'ok' },
    ]);
  });

  it('fails when a target fails one of the rules, naming it', () => {
    const r = aggregate(hostResults([{ platform: 'linux', isServer: true }, { platform: 'linux', isServer: false }, { platform: 'linux', isServer: null }]));
    expect(r.status).toBe('fail');
    expect(r.subjects).toEqual(['h2.kommun.se']);
  });

  it('is unknown when unknown targets decide the outcome', () => {
    const r = aggregate(hostResults([{ platform: 'linux', isServer: true }, { platform: 'linux', isServer: null }, 'missing']));
    expect(r.status).toBe('unknown');
    expect(r.reason).toBe(
      '2 mål har okänt resultat och avgör utfallet (2 targets have an unknown result that decides the outcome): h2.kommun.se, h3.kommun.se',
    );
    expect(r.evidence.find((e) => e.path === 'aggregate.passPercent')!.value).toBeCloseTo(100 / 3);
  });

  it('passes despite unknowns when the pessimistic view passes', () => {
    const results = hostResults([{ platform: 'linux', isServer: true }, { platform: 'linux', isServer: true }, { platform: 'linux', isServer: true }, { platform: 'linux', isServer: null }]);
    expect(aggregate(results).status).toBe('unknown');
    expect(aggregate(results, { 'T-AGG-001': { min: 75 } }).status).toBe('pass');
  });

  it('counts a target with a result missing for one of the rules as unknown', () => {
    const results = hostResults([{ platform: 'linux', isServer: true }]).filter((r) => r.ruleId !== 'T-UW-001');
    expect(aggregate(results).status).toBe('unknown');
  });

  it('is unknown with no targets', () => {
    const r = aggregate([]);
    expect(r.status).toBe('unknown');
    expect(r.reason).toBe('inga mål har rapporterat resultat för regeln (no targets reported)');
  });

  it('results are plain JSON', () => {
    const r = aggregate(hostResults([{ platform: 'windows', isServer: true }]));
    expect(JSON.parse(JSON.stringify(r))).toEqual(r);
  });
});

