import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Fact, TargetKind } from '../../report/schema.js';
import { celErrorMessage, compileExpression, createCelRuntime, newEvaluation, type CelRuntime, type CompiledExpression } from '../../rules/engine/cel.js';
import { compileClosure } from '../../rules/engine/cel-closures.js';
import {
  BUNDLED_RULE_DIRS,
  DEFAULT_TEST_NOW,
  evaluateTarget,
  loadOsLifecycle,
  loadRules,
  type EvaluationTarget,
  type Rule,
  type RuleSet,
} from '../../rules/engine/index.js';
import { testCaseFacts } from '../../rules/engine/run-tests.js';
import { okFact, removeDir, ruleYaml, writeRuleDir } from './support.js';

/**
 * The closures (rules/engine/cel-closures.ts) against the library's interpreter: the same
 * value whenever a closure gives one, and through the engine the same results — values,
 * errors and their messages, unknown with its reason — on the bundled rules' own test
 * cases, on mutated facts and on random expressions.
 */

/** The expression with its interpreter only. */
function interpreted(expression: CompiledExpression): CompiledExpression {
  return Object.assign((context: Record<string, unknown>) => expression.interpret(context), {
    ast: expression.ast,
    interpret: expression.interpret,
    interpretedBecause: 'test',
  });
}

function interpretedRule(rule: Rule): Rule {
  const c = rule.compiled;
  return {
    ...rule,
    compiled: {
      ...c,
      applies: c.applies && interpreted(c.applies),
      check: interpreted(c.check),
      subjects: c.subjects && interpreted(c.subjects),
      unknownWhen: c.unknownWhen.map((u) => ({ ...u, expression: interpreted(u.expression) })),
    },
  };
}

/** The same rule set evaluated by the interpreter alone. */
function interpretedSet(ruleSet: RuleSet): RuleSet {
  const byId = new Map([...ruleSet.byId].map(([id, rule]) => [id, interpretedRule(rule)]));
  return {
    ...ruleSet,
    rules: ruleSet.rules.map((r) => byId.get(r.id)!),
    byId,
    byTarget: new Map([...ruleSet.byTarget].map(([kind, rules]) => [kind, rules.map((r) => byId.get(r.id)!)])),
  };
}

function only(ruleSet: RuleSet, rule: Rule): RuleSet {
  return { ...ruleSet, byTarget: new Map([[rule.target as TargetKind, [rule]]]) };
}

function expressionsOf(rule: Rule): [string, CompiledExpression][] {
  const c = rule.compiled;
  const list: [string, CompiledExpression | undefined][] = [
    ['applies', c.applies],
    ...c.unknownWhen.map((u, i): [string, CompiledExpression] => [`unknownWhen[${i}]`, u.expression]),
    ['check', c.check],
    ['subjects', c.subjects],
  ];
  return list.filter((e): e is [string, CompiledExpression] => e[1] !== undefined);
}

describe('CEL closures on the bundled rules', () => {
  let ruleSet: RuleSet;
  let interpreter: RuleSet;
  const targetRules = () => [...ruleSet.byTarget.values()].flat();

  beforeAll(async () => {
    ruleSet = await loadRules(BUNDLED_RULE_DIRS);
    interpreter = interpretedSet(ruleSet);
  });

  it('compile nearly every expression, and fully the rules the benchmark compares', () => {
    const all = targetRules().flatMap((r) => expressionsOf(r).map(([field, e]) => ({ id: r.id, field, why: e.interpretedBecause })));
    const interpretedOnes = all.filter((e) => e.why !== undefined);
    expect(interpretedOnes.length / all.length).toBeLessThan(0.1);
    for (const id of ['BV-AV-001', 'BV-CRY-001', 'BV-FW-001', 'BV-ID-001']) {
      expect(interpretedOnes.filter((e) => e.id === id)).toEqual([]);
    }
  });

  it('give the same results as the interpreter on every test case in the rule files', () => {
    let cases = 0;
    for (const rule of targetRules()) {
      rule.tests.forEach((testCase, index) => {
        const now = new Date(testCase.now ?? DEFAULT_TEST_NOW);
        let facts: Fact[];
        try {
          facts = testCaseFacts(rule, testCase, index, now.toISOString());
        } catch {
          return; // an invalid case is the rule tests' business
        }
        const target: EvaluationTarget = { kind: rule.target as TargetKind, id: `${rule.id}:${index}`, name: testCase.name, facts };
        const options = { now, ...(testCase.params ? { params: { [rule.id]: testCase.params } } : {}) };
        const closures = evaluateTarget(only(ruleSet, rule), target, options);
        const interpretedResults = evaluateTarget(only(interpreter, interpreter.byId.get(rule.id)!), target, options);
        expect(closures, `${rule.id} ${testCase.name}`).toEqual(interpretedResults);
        cases++;
      });
    }
    expect(cases).toBeGreaterThan(200);
  });

  it('give the same results on mutated facts: wrong types, missing keys, nulls, failed facts', () => {
    // Every kind's rules evaluated together on facts taken from the test cases, then broken.
    const pools = new Map<TargetKind, Map<string, Fact[]>>();
    for (const rule of targetRules()) {
      rule.tests.forEach((testCase, index) => {
        try {
          for (const fact of testCaseFacts(rule, testCase, index, '2026-11-23T06:00:00.000Z')) {
            const kind = rule.target as TargetKind;
            const byName = pools.get(kind) ?? new Map<string, Fact[]>();
            pools.set(kind, byName);
            byName.set(fact.name, [...(byName.get(fact.name) ?? []), fact]);
          }
        } catch {
          // invalid case
        }
      });
    }
    const kinds = [...pools.keys()];
    const replacement = fc.oneof(
      fc.constant(null),
      fc.boolean(),
      fc.constantFrom('', 'x', 'Normal', 'windows', '10.1.0.0/16', 'tcp/23', '2026-01-01T00:00:00Z'),
      fc.constantFrom(0, 1, -1, 2.5, 65536, 1e21),
      fc.constant([]),
      fc.constant({}),
      fc.constant(['a', 'b']),
      fc.constant([{}]),
    );
    const mutation = fc.record({ at: fc.nat(), action: fc.constantFrom('replace', 'delete', 'fail', 'drop'), value: replacement });
    fc.assert(
      fc.property(fc.nat(), fc.array(fc.nat(), { minLength: 1, maxLength: 20 }), fc.array(mutation, { maxLength: 4 }), (k, picks, mutations) => {
        const kind = kinds[k % kinds.length]!;
        const pool = [...pools.get(kind)!.values()];
        let facts: Fact[] = pool.map((versions, i) => structuredClone(versions[(picks[i % picks.length] ?? 0) % versions.length]!));
        for (const m of mutations) {
          if (facts.length === 0) break;
          const i = m.at % facts.length;
          const fact = facts[i]!;
          if (m.action === 'drop') facts = facts.filter((_, j) => j !== i);
          else if (m.action === 'fail') facts[i] = { name: fact.name, status: 'error', reason: 'Access denied', source: fact.source, collectedAt: fact.collectedAt };
          else if (fact.status === 'ok') mutate(fact, m.at, m.action, m.value);
        }
        const target: EvaluationTarget = { kind, id: 'fuzz', name: 'fuzz', facts };
        const now = new Date('2026-11-23T12:00:00Z');
        expect(evaluateTarget(ruleSet, target, { now })).toEqual(evaluateTarget(interpreter, target, { now }));
      }),
      { numRuns: 300 },
    );
  });
});

/** Replaces or deletes the value at a place in the fact's value chosen by `at`. */
function mutate(fact: Fact & { status: 'ok' }, at: number, action: string, value: unknown): void {
  const places: [Record<string, unknown> | unknown[], string | number][] = [];
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach((item, i) => (places.push([v, i]), walk(item)));
    else if (v !== null && typeof v === 'object') for (const [key, item] of Object.entries(v)) places.push([v as Record<string, unknown>, key]), walk(item);
  };
  walk(fact.value);
  if (places.length === 0) {
    fact.value = value;
    return;
  }
  const [holder, key] = places[at % places.length]!;
  if (action === 'delete' && !Array.isArray(holder)) delete holder[key as string];
  else (holder as Record<string | number, unknown>)[key] = structuredClone(value);
}

// ------------------------------------------------------------------ random expressions

const FIELDS = ['a', 'b', 's', 'n', 'l', 'o', 'z'] as const;
const OPERATORS = ['==', '!=', '<', '<=', '>', '>=', '+', '-', '*', '/', '&&', '||', 'in'] as const;
const LITERALS = ['"x"', '""', '"A"', '"Å"', '1', '0', '-1', '1.5', '0.0', 'true', 'false', 'null', '[]', '["x", "y"]', '[1, 2]'] as const;

const primitive = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.constantFrom('', 'x', 'y', 'A', 'Å', 'x y', '10.1.0.5', '10.1.0.0/16', 'ADM:10,100-149:adm', 'tcp/23', '2026-01-01T00:00:00Z'),
  fc.constantFrom(0, 1, 2, -1, 1.5, -0, 23, 1e21),
);
/**
 * JSON data where each field mostly holds its own kind of value (s a string, n a number,
 * b a bool, l a list, o a map of the same kind, z null) and sometimes anything, so that
 * random expressions often type out and the closures decide them.
 */
const data = fc.letrec((tie) => ({
  any: fc.oneof({ maxDepth: 2, depthIdentifier: 'data' }, primitive, tie('list'), tie('map')),
  list: fc.array(fc.oneof(primitive, tie('map')), { maxLength: 3 }),
  map: fc.record(
    {
      a: tie('any'),
      b: fc.oneof(fc.boolean(), fc.boolean(), tie('any')),
      s: fc.oneof(fc.constantFrom('x', 'A', 'Å', '', '10.1.0.0/16'), tie('any')),
      n: fc.oneof(fc.constantFrom(0, 1, 2, 1.5, -1, 23), tie('any')),
      l: fc.oneof(fc.array(fc.constantFrom('x', 'y', 'A'), { maxLength: 3 }), tie('list')),
      o: fc.oneof({ maxDepth: 2, depthIdentifier: 'data' }, tie('map'), tie('any')),
      z: fc.oneof(fc.constant(null), tie('any')),
    },
    { requiredKeys: ['b', 's', 'n', 'l', 'z'] },
  ),
}));
const context = fc.record({ host: data.map, params: data.map });
/** A random expression of the subset (and a little beyond it), with these iteration variables in scope. */
function expression(depth: number, locals: readonly string[]): fc.Arbitrary<string> {
  const path = fc
    .tuple(fc.constantFrom('host', 'params', ...locals), fc.array(fc.constantFrom(...FIELDS), { minLength: 1, maxLength: 3 }))
    .map(([root, keys]) => [root, ...keys].join('.'));
  const leaves: fc.Arbitrary<string>[] = [path, path, fc.constantFrom(...LITERALS)];
  if (locals.length > 0) leaves.push(fc.constantFrom(...locals));
  const leaf = fc.oneof(...leaves);
  if (depth === 0) return leaf;
  const typed = expression(depth - 1, locals);
  // dyn() where a statically typed operand would not type-check, half of the time.
  const sub = fc.oneof(typed, typed.map((a) => `dyn(${a})`));
  const variable = fc.constantFrom('x', 'y', 'host');
  const macro = variable.chain((v) =>
    fc
      .tuple(sub, fc.constantFrom('exists', 'all', 'exists_one', 'filter', 'map', 'map3'), expression(depth - 1, [...locals, v]), expression(depth - 1, [...locals, v]))
      .map(([range, m, body, transform]) => (m === 'map3' ? `(${range}).map(${v}, ${body}, ${transform})` : `(${range}).${m}(${v}, ${body})`)),
  );
  return fc.oneof(
    { arbitrary: leaf, weight: 3 },
    fc.tuple(typed, fc.constantFrom(...OPERATORS), typed).map(([a, op, b]) => `(${a} ${op} ${b})`),
    fc.tuple(sub, fc.constantFrom(...OPERATORS), sub).map(([a, op, b]) => `(${a} ${op} ${b})`),
    sub.map((a) => `!(${a})`),
    sub.map((a) => `-(${a})`),
    fc.tuple(sub, typed, typed).map(([c, a, b]) => `(${c} ? ${a} : ${b})`),
    fc.tuple(fc.constantFrom('size', 'string', 'int', 'double', 'isUplink', 'portLabel'), sub).map(([f, a]) => `${f}(${a})`),
    fc.tuple(sub, fc.constantFrom('lowerAscii()', 'size()')).map(([a, m]) => `(${a}).${m}`),
    fc.tuple(sub, fc.constantFrom('startsWith', 'endsWith', 'contains'), sub).map(([a, m, b]) => `(${a}).${m}(${b})`),
    fc.tuple(fc.constantFrom('inRanges', 'subnetOf', 'rangeLabel', 'daysUntilEndOfLife'), sub, sub).map(([f, a, b]) => `${f}(${a}, ${b})`),
    fc.tuple(sub, sub, sub).map(([a, b, c]) => `zoneOf(${a}, ${b}, ${c})`),
    sub.map((a) => `daysSince(${a})`),
    fc.tuple(sub, sub).map(([a, b]) => `[${a}, ${b}]`),
    fc.tuple(sub, sub).map(([a, b]) => `(${a})[${b}]`),
    macro,
  );
}

const ACCEPT_ANY = ['bool', 'int', 'double', 'string', 'null', 'list', 'list<*>', 'map', 'map<*>'];

type Outcome = { value: unknown } | { error: string };

function outcome(f: () => unknown): Outcome {
  try {
    return { value: f() };
  } catch (error) {
    return { error: celErrorMessage(error) };
  }
}

describe('CEL closures on random expressions', () => {
  let runtime: CelRuntime;

  beforeAll(async () => {
    runtime = createCelRuntime(await loadOsLifecycle());
    runtime.clock.now = Date.parse('2026-11-23T12:00:00Z');
  });

  it('either give the interpreter’s value or defer to it; compiled expressions give its value or error message', () => {
    const env = () => runtime.environment('host');
    const roots = new Map([
      ['host', 'map'],
      ['params', 'map'],
      ['now', 'google.protobuf.Timestamp'],
    ]);
    const seen = { compiled: 0, decided: 0, deferred: 0 };
    fc.assert(
      fc.property(expression(3, []), context, (source, values) => {
        let parsed;
        try {
          parsed = env().parse(source);
        } catch {
          return fc.pre(false);
        }
        fc.pre(parsed.check().valid);
        const ctx = { ...values, now: new Date('2026-11-23T12:00:00Z') };
        const expected = outcome(() => parsed(ctx));

        const compiled = compileClosure(parsed.ast, roots, runtime.functions, runtime.shared('host'));
        if ('closure' in compiled) {
          seen.compiled++;
          const evaluation = newEvaluation();
          for (let i = 0; i < 2; i++) {
            // twice in one evaluation: the second run reads shared subexpressions from the memo
            let value: unknown;
            try {
              value = compiled.closure(ctx, evaluation);
            } catch {
              seen.deferred++;
              continue;
            }
            seen.decided++;
            expect({ value }, source).toEqual(expected);
          }
        }

        const engine = compileExpression(runtime, 'host', source, ACCEPT_ANY);
        if (engine.ok) expect(outcome(() => engine.expression(ctx, newEvaluation())), source).toEqual(expected);
      }),
      { numRuns: 2000 },
    );
    // The property means something only if the closures decide a good share themselves.
    expect(seen.compiled).toBeGreaterThan(500);
    expect(seen.decided).toBeGreaterThan(seen.compiled / 4);
  });

  it('agree with the interpreter on every operator and function over every kind of value', () => {
    // JSON values, ints (CEL literals and size() make them), infinities (1.0 / 0.0 makes them).
    const values: unknown[] = [
      null, true, false, '', 'x', 'X', 'Å', '10.1.0.0/16', '2026-01-01T00:00:00Z',
      0, -0, 1, 1.5, -2.5, 2, 1e21, Infinity, -Infinity,
      0n, 1n, -1n, 9223372036854775807n, -9223372036854775808n,
      [], ['x'], [1], [1n], ['x', 1], [{}], {}, { x: 1 }, { x: 'y' },
    ];
    const unary = [
      '!host.a', '-host.a', 'size(host.a)', 'host.a.size()', 'string(host.a)', 'int(host.a)', 'double(host.a)', 'dyn(host.a)',
      'host.a.lowerAscii()', 'host.a.x', 'host.a.length', 'host.a[0]', 'host.a.exists(v, v == 1)', 'host.a.all(v, v != "x")', 'host.a.exists_one(v, v == "x")',
      'host.a.filter(v, v == v)', 'host.a.map(v, v)', 'host.a.map(v, v != 1, [v])', 'host.a ? 1 : 2', '[host.a]',
      'isUplink(host.a)', 'portLabel(host.a)', 'vlanLabel(host.a)', 'daysSince(host.a)', 'endOfLifeLabel(host.a)', 'daysUntilEndOfLife(host.a)',
    ];
    const binary = [
      ...OPERATORS.map((op) => `host.a ${op} host.b`),
      'host.a.startsWith(host.b)', 'host.a.endsWith(host.b)', 'host.a.contains(host.b)', 'host.a[host.b]', '[host.a, host.b]',
      'host.a ? host.b : host.a', 'inRanges(host.a, host.b)', 'subnetOf(host.a, host.b)', 'rangeLabel(host.a, host.b)', 'overlappingRange(host.a, host.b)',
      'daysUntilEndOfLife(host.a, host.b)', 'zoneOf(host.a, host.b, ["ADM:10:adm"])',
    ];
    let decided = 0;
    const check = (source: string, pairs: [unknown, unknown][]) => {
      const compiled = compileExpression(runtime, 'host', source, ACCEPT_ANY);
      if (!compiled.ok) throw new Error(`${source}: ${compiled.message}`);
      expect(compiled.expression.interpretedBecause, source).toBeUndefined();
      const closure = compileClosure(compiled.expression.ast, new Map([['host', 'map'], ['params', 'map'], ['now', 'google.protobuf.Timestamp']]), runtime.functions);
      if (!('closure' in closure)) throw new Error(source);
      for (const [a, b] of pairs) {
        const ctx = { host: { a, b }, params: {}, now: new Date() };
        const expected = outcome(() => compiled.expression.interpret(ctx));
        const what = `${source} with a=${String(a)} b=${String(b)}`;
        try {
          const value = closure.closure(ctx);
          decided++;
          expect({ value }, what).toEqual(expected);
        } catch (error) {
          if (error instanceof Error && error.name === 'AssertionError') throw error;
        }
        expect(outcome(() => compiled.expression(ctx)), what).toEqual(expected);
      }
    };
    for (const source of unary) check(source, values.map((a) => [a, null]));
    for (const source of binary) check(source, values.flatMap((a) => values.map((b): [unknown, unknown] => [a, b])));
    expect(decided).toBeGreaterThan(4000);
  });

  it('hand over to the interpreter where CEL absorbs an error, and keep its messages', () => {
    const cases: [string, Record<string, unknown>][] = [
      ['host.a && host.b', { a: true, b: null }],
      ['host.missing || true', {}],
      ['false && host.missing', {}],
      ['host.l.exists(x, x.y == 1)', { l: [{}, { y: 1 }] }],
      ['host.l.all(x, x > 1)', { l: ['a', 0] }],
      ['host.s + 1', { s: 'a' }],
      ['size(host.z)', { z: null }],
      ['host.o.exists(k, k == "a")', { o: { a: 1 } }],
      ['host.n == 1', { n: 1 }],
      ['host.l[5]', { l: [1] }],
      ['int(host.s)', { s: '42' }],
      ['daysUntilEndOfLife(host.o)', { o: { id: 'plan9', version: '4' } }],
    ];
    for (const [source, host] of cases) {
      const compiled = compileExpression(runtime, 'host', source, ACCEPT_ANY);
      if (!compiled.ok) throw new Error(`${source}: ${compiled.message}`);
      const ctx = { host, params: {}, now: new Date() };
      expect(outcome(() => compiled.expression(ctx)), source).toEqual(outcome(() => compiled.expression.interpret(ctx)));
    }
  });
});

describe('shared subexpressions', () => {
  let dir: string;
  let ruleSet: RuleSet;

  beforeAll(async () => {
    dir = await writeRuleDir({
      'T-MEMO-001.yaml': ruleYaml('T-MEMO-001', {
        facts: '[antivirus]',
        unknownWhen:
          '\n  - when: "!host.antivirus.products.exists(p, p.running == true) && host.antivirus.products.exists(p, p.running == null)"\n    reason: { sv: Okänt, en: Unknown }',
        check: "'host.antivirus.products.exists(p, p.running == true)'",
        subjects: "'host.antivirus.products.filter(p, p.running != true).map(p, p.name)'",
        evidence: '[host.antivirus.products.name]',
      }),
      'T-MEMO-002.yaml': ruleYaml('T-MEMO-002', {
        facts: '[antivirus]',
        check: "'!host.antivirus.products.exists(p, p.running == true)'",
        evidence: '[host.antivirus.products.name]',
      }),
    });
    ruleSet = await loadRules([dir]);
  });

  afterAll(async () => {
    await removeDir(dir);
  });

  it('are computed once per rule evaluation, never carried to the next rule or target', () => {
    const av = (running: (boolean | null)[]) => ({
      products: running.map((r, i) => ({
        name: `AV ${i}`,
        kind: 'clamav',
        installed: true,
        running: r,
        realTimeProtection: true,
        signatureVersion: null,
        signatureDate: null,
        signatureAgeDays: null,
        signaturesUpToDate: null,
        mode: null,
      })),
    });
    const now = new Date('2026-11-23T12:00:00Z');
    const statuses = (running: (boolean | null)[]) =>
      evaluateTarget(ruleSet, { kind: 'host', id: 'h', name: 'h', facts: [okFact('antivirus', av(running))] }, { now }).map((r) => `${r.ruleId}:${r.status}`);
    expect(statuses([true])).toEqual(['T-MEMO-001:pass', 'T-MEMO-002:fail']);
    expect(statuses([false])).toEqual(['T-MEMO-001:fail', 'T-MEMO-002:pass']);
    expect(statuses([null])).toEqual(['T-MEMO-001:unknown', 'T-MEMO-002:pass']);
    expect(statuses([false, true])).toEqual(['T-MEMO-001:pass', 'T-MEMO-002:fail']);
  });
});
