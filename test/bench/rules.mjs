// Rule evaluation throughput on one core: the engine with the bundled host rules, and the
// engine against hand-written JavaScript for the same four rules, in the same run, on the
// same targets, producing the same result objects (checked field by field before timing).
import { deepStrictEqual } from 'node:assert/strict';
import { loadavg } from 'node:os';
import { BUNDLED_RULE_DIRS, evaluateTarget, loadRules } from '../../dist/rules/engine/index.js';
import { AT, hostTarget } from './fixtures.mjs';

// In id order, as the engine returns them.
const FOUR = ['BV-AV-001', 'BV-CRY-001', 'BV-FW-001', 'BV-ID-001'];

/**
 * The fixture hosts, with some facts failed or missing so that the unknown path is measured
 * too: every tenth host has no readable anti-virus state, another has no firewall fact, a
 * third could not read its OS.
 */
export function benchTargets(count = 500) {
  return Array.from({ length: count }, (_, i) => {
    const t = hostTarget(i);
    const fail = (name, status, reason) => (f) => (f.name === name ? { name, status, source: f.source, collectedAt: f.collectedAt, reason } : f);
    if (i % 10 === 3) return { ...t, facts: t.facts.map(fail('antivirus', 'error', 'Access denied')) };
    if (i % 10 === 6) return { ...t, facts: t.facts.filter((f) => f.name !== 'firewall') };
    if (i % 10 === 9) return { ...t, facts: t.facts.map(fail('os', 'unsupported', 'no os-release')) };
    return t;
  });
}

/**
 * The same four rules written by hand, as a TypeScript module would hold them: the rule's
 * metadata and texts as constants, the conditions as code, and the engine's behaviour —
 * unknown with the fact's reason for a missing or failed fact, not applicable, the
 * rules' unknownWhen cases, subjects on failure, evidence for every evidence path, the
 * parameters used. Returns the engine's result objects.
 */
export function handWrittenRules(ruleSet) {
  const meta = Object.fromEntries(
    FOUR.map((id) => {
      const r = ruleSet.byId.get(id);
      return [id, { severity: r.severity, goals: r.goals, unknownWhen: r.unknownWhen.map((u) => `${u.reason.sv} (${u.reason.en})`) }];
    }),
  );
  const NOT_APPLICABLE = 'regeln gäller inte det här målet (the rule does not apply to this target)';
  const problem = (name, f) =>
    !f
      ? `host.${name}: saknas i rapporten (missing from the report)`
      : f.status === 'unsupported'
        ? `host.${name}: stöds inte på målet (not supported on the target): ${f.reason}`
        : `host.${name}: kunde inte samlas in (could not be collected): ${f.reason}`;
  const unavailable = (...names) => {
    let reason;
    for (const [name, f] of names) if (!f || f.status !== 'ok') reason = reason === undefined ? problem(name, f) : `${reason}; ${problem(name, f)}`;
    return reason;
  };
  const capped = (v) => (Array.isArray(v) && v.length > 100 ? v.slice(0, 100) : v);
  const evidence = (f, path, read) => {
    if (!f || f.status !== 'ok') return { path, value: null, source: f?.source ?? null, collectedAt: f?.collectedAt ?? null, status: f?.status ?? 'missing' };
    const value = read(f.value);
    const e = { path, value: value === undefined ? null : capped(value), source: f.source, collectedAt: f.collectedAt, status: 'ok' };
    if (Array.isArray(value) && value.length > 100) e.omitted = value.length - 100;
    return e;
  };
  const lowerAscii = (s) => s.replace(/[A-Z]/g, (c) => c.toLowerCase());

  return function handWritten(target, params) {
    const facts = new Map();
    for (const f of target.facts) facts.set(f.name, f);
    const result = (id, status, reason, subjects, evidence) => {
      const r = { ruleId: id, targetKind: target.kind, targetId: target.id, targetName: target.name, status, subjects, evidence, params: params[id], severity: meta[id].severity, goals: meta[id].goals };
      if (reason !== undefined) r.reason = reason;
      return r;
    };
    const results = [];

    {
      const id = 'BV-AV-001';
      const p = params[id];
      const av = facts.get('antivirus');
      const ev = [evidence(av, 'host.antivirus.products', (v) => v.products)];
      const missing = unavailable(['antivirus', av]);
      if (missing) results.push(result(id, 'unknown', missing, [], ev));
      else {
        const modeOk = (x) => x.kind !== 'defender' || x.mode === null || x.mode === 'Normal';
        const protects = (x) => x.installed && x.running === true && (x.realTimeProtection === true || !p.requireRealTimeProtection) && modeOk(x);
        const products = av.value.products;
        if (products.some(protects)) results.push(result(id, 'pass', undefined, [], ev));
        else if (products.some((x) => x.installed && (x.running === null || (p.requireRealTimeProtection && x.realTimeProtection === null)) && modeOk(x))) {
          results.push(result(id, 'unknown', meta[id].unknownWhen[0], [], ev));
        } else results.push(result(id, 'fail', undefined, products.filter((x) => !protects(x)).map((x) => x.name), ev));
      }
    }
    {
      const id = 'BV-CRY-001';
      const ls = facts.get('listeningServices');
      const ev = [evidence(ls, 'host.listeningServices.sockets', (v) => v.sockets)];
      const missing = unavailable(['listeningServices', ls]);
      if (missing) results.push(result(id, 'unknown', missing, [], ev));
      else {
        const allowed = params[id].allowedCleartext;
        const bad = ls.value.sockets.filter((s) => s.cleartext && !s.loopbackOnly && !allowed.includes(`${s.protocol}/${s.port}`));
        if (bad.length === 0) results.push(result(id, 'pass', undefined, [], ev));
        else results.push(result(id, 'fail', undefined, bad.map((s) => `${s.service ?? s.process ?? '?'} ${s.protocol}/${s.port} (${s.address})`), ev));
      }
    }
    {
      const id = 'BV-FW-001';
      const os = facts.get('os');
      const fw = facts.get('firewall');
      const ev = [evidence(os, 'host.os.platform', (v) => v.platform), evidence(fw, 'host.firewall.backends', (v) => v.backends), evidence(fw, 'host.firewall.profiles', (v) => v.profiles)];
      const missing = unavailable(['os', os], ['firewall', fw]);
      const applies = os?.status === 'ok' ? os.value.platform === 'linux' || os.value.platform === 'windows' : undefined;
      if (applies === false) results.push(result(id, 'not_applicable', NOT_APPLICABLE, [], ev));
      else if (missing) results.push(result(id, 'unknown', missing, [], ev));
      else {
        const windows = os.value.platform === 'windows';
        const { profiles, backends } = fw.value;
        const profileOk = (x) => x.enabled && x.defaultInboundAction !== 'Allow';
        if (windows && profiles.length === 0) results.push(result(id, 'unknown', meta[id].unknownWhen[0], [], ev));
        else if (windows ? profiles.every(profileOk) : backends.some((b) => b.name !== 'windows' && b.active)) results.push(result(id, 'pass', undefined, [], ev));
        else results.push(result(id, 'fail', undefined, windows ? profiles.filter((x) => !profileOk(x)).map((x) => x.name) : backends.map((b) => b.name), ev));
      }
    }
    {
      const id = 'BV-ID-001';
      const dj = facts.get('directoryJoin');
      const ev = [
        evidence(dj, 'host.directoryJoin.joined', (v) => v.joined),
        evidence(dj, 'host.directoryJoin.method', (v) => v.method),
        evidence(dj, 'host.directoryJoin.domain', (v) => v.domain),
      ];
      const missing = unavailable(['directoryJoin', dj]);
      if (missing) results.push(result(id, 'unknown', missing, [], ev));
      else {
        const expected = params[id].expectedDomains;
        const { joined, domain } = dj.value;
        if (joined && expected.length > 0 && domain === null) results.push(result(id, 'unknown', meta[id].unknownWhen[0], [], ev));
        else if (joined && (expected.length === 0 || expected.some((d) => lowerAscii(d) === lowerAscii(domain)))) results.push(result(id, 'pass', undefined, [], ev));
        else results.push(result(id, 'fail', undefined, domain !== null ? [domain] : [], ev));
      }
    }
    return results;
  };
}

/** The rule set with every expression run by the CEL interpreter alone (no closures). */
function interpretedOnly(ruleSet) {
  const interpret = (e) => e && Object.assign((context) => e.interpret(context), { ast: e.ast, interpret: e.interpret });
  const rule = (r) => ({
    ...r,
    compiled: {
      ...r.compiled,
      applies: interpret(r.compiled.applies),
      check: interpret(r.compiled.check),
      subjects: interpret(r.compiled.subjects),
      unknownWhen: r.compiled.unknownWhen.map((u) => ({ ...u, expression: interpret(u.expression) })),
    },
  });
  return { ...ruleSet, byTarget: new Map([...ruleSet.byTarget].map(([kind, rules]) => [kind, rules.map(rule)])) };
}

/** Process CPU time in seconds: the machine is shared, so rates are per CPU second, not per wall second. */
const cpuSeconds = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
};

/**
 * Evaluations per CPU second of each function, measured in alternating slices so that
 * all see the same machine load (`slices` rounds of `sliceSeconds` each). Gives the
 * median rate of each over the rounds, and the median over the rounds of the ratio of
 * each function's rate to the first's.
 */
function rates(fns, targets, { slices = 21, sliceSeconds = 0.1 } = {}) {
  const perRound = fns.map(() => []);
  let i = 0;
  for (let round = 0; round < slices; round++) {
    fns.forEach((fn, f) => {
      const start = cpuSeconds();
      let used = 0;
      let evaluations = 0;
      while (used < sliceSeconds) {
        for (let k = 0; k < 200; k++) evaluations += fn(targets[i++ % targets.length]).length;
        used = cpuSeconds() - start;
      }
      perRound[f].push(evaluations / used);
    });
  }
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  return {
    rates: perRound.map((r) => Math.round(median(r))),
    ratios: perRound.map((r) => +median(r.map((rate, round) => rate / perRound[0][round])).toFixed(2)),
  };
}

export async function benchRules() {
  const ruleSet = await loadRules(BUNDLED_RULE_DIRS);
  const targets = benchTargets();
  const now = new Date(AT);
  const hostRules = ruleSet.byTarget.get('host').length;
  const all = (t) => evaluateTarget(ruleSet, t, { now });
  rates([all], targets, { slices: 5 }); // warm-up
  const [allRules] = rates([all], targets).rates;

  const subset = { ...ruleSet, byTarget: new Map([['host', ruleSet.byTarget.get('host').filter((r) => FOUR.includes(r.id))]]) };
  const params = Object.fromEntries(FOUR.map((id) => [id, { ...ruleSet.byId.get(id).params }]));
  const handWritten = handWrittenRules(ruleSet);
  // The engine and the hand-written code must give the same results before their speeds
  // are compared: status, reason, subjects, evidence, parameters, everything.
  const statuses = {};
  for (const t of targets) {
    const engine = evaluateTarget(subset, t, { now });
    deepStrictEqual(handWritten(t, params), engine, `engine and hand-written rules disagree on ${t.id}`);
    for (const r of engine) statuses[r.status] = (statuses[r.status] ?? 0) + 1;
  }
  const engine = (t) => evaluateTarget(subset, t, { now });
  const hand = (t) => handWritten(t, params);
  // The engine as it was before its closures: every expression through cel-js's interpreter.
  const interpreted = interpretedOnly(subset);
  const interpreter = (t) => evaluateTarget(interpreted, t, { now });
  rates([engine, hand, interpreter], targets, { slices: 5 }); // warm-up
  const measured = rates([engine, hand, interpreter], targets);
  const [engineFour, handFour, interpreterFour] = measured.rates;
  const slowdown = measured.ratios[1];
  return {
    bundledHostRules: hostRules,
    ruleEvaluationsPerSecond: allRules,
    sameFourRules: { engine: engineFour, handWritten: handFour, slowdown, engineInterpreterOnly: interpreterFour, statuses },
    loadAverage: +loadavg()[0].toFixed(2),
    unit: 'rule evaluations per CPU second (median of 21 slices of 0.1 s); slowdown: median over the slices of hand-written/engine, measured alternately',
    targets: { ruleEvaluationsPerSecond: 200_000, maxSlowdown: 5 },
    meetsTargets: allRules >= 200_000 && slowdown <= 5,
  };
}
