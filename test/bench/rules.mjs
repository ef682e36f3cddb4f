// Rule evaluation throughput on one core: the engine with the bundled host rules, and the
// engine against hand-written TypeScript for the same four rules, in the same run.
import { BUNDLED_RULE_DIRS, evaluateTarget, loadRules } from '../../dist/rules/engine/index.js';
import { AT, hostTarget } from './fixtures.mjs';


/** The same four rules written by hand: status, subjects and evidence, with unknown for missing facts. */
function handWritten(target) {
  const facts = new Map(target.facts.map((f) => [f.name, f]));
  const value = (name) => { const f = facts.get(name); return f && f.status === 'ok' ? f.value : undefined; };
  const ev = (name, path, v) => ({ path, value: v, source: facts.get(name)?.source ?? null, collectedAt: facts.get(name)?.collectedAt ?? null, status: facts.get(name)?.status ?? 'missing' });
  const results = [];
  const av = value('antivirus');
  if (!av) results.push({ ruleId: 'BV-AV-001', status: 'unknown', subjects: [], evidence: [] });
  else {
    const ok = av.products.some((p) => p.installed && p.running === true && p.realTimeProtection === true && (p.kind !== 'defender' || p.mode === null || p.mode === 'Normal'));
    results.push({ ruleId: 'BV-AV-001', status: ok ? 'pass' : 'fail', subjects: ok ? [] : av.products.map((p) => p.name), evidence: [ev('antivirus', 'host.antivirus.products', av.products)] });
  }
  const fw = value('firewall');
  const os = value('os');
  if (!fw || !os) results.push({ ruleId: 'BV-FW-001', status: 'unknown', subjects: [], evidence: [] });
  else {
    const ok = os.platform === 'windows' ? fw.profiles.every((p) => p.enabled && p.defaultInboundAction !== 'Allow') : fw.backends.some((b) => b.name !== 'windows' && b.active);
    results.push({ ruleId: 'BV-FW-001', status: ok ? 'pass' : 'fail', subjects: ok ? [] : fw.backends.map((b) => b.name), evidence: [ev('firewall', 'host.firewall.backends', fw.backends)] });
  }
  const ls = value('listeningServices');
  if (!ls) results.push({ ruleId: 'BV-CRY-001', status: 'unknown', subjects: [], evidence: [] });
  else {
    const bad = ls.sockets.filter((s) => s.cleartext && !s.loopbackOnly);
    results.push({ ruleId: 'BV-CRY-001', status: bad.length ? 'fail' : 'pass', subjects: bad.map((s) => `${s.service ?? s.process ?? '?'} ${s.protocol}/${s.port} (${s.address})`), evidence: [ev('listeningServices', 'host.listeningServices.sockets', ls.sockets)] });
  }
  const dj = value('directoryJoin');
  if (!dj) results.push({ ruleId: 'BV-ID-001', status: 'unknown', subjects: [], evidence: [] });
  else results.push({ ruleId: 'BV-ID-001', status: dj.joined ? 'pass' : 'fail', subjects: dj.domain ? [dj.domain] : [], evidence: [ev('directoryJoin', 'host.directoryJoin.joined', dj.joined)] });
  return results;
}

function rate(fn, targets, rulesPerTarget, seconds = 2) {
  let evaluations = 0;
  const end = performance.now() + seconds * 1000;
  let i = 0;
  while (performance.now() < end) {
    for (let k = 0; k < 100; k++) evaluations += fn(targets[i++ % targets.length]).length;
  }
  void rulesPerTarget;
  return Math.round(evaluations / seconds);
}

export async function benchRules() {
  const ruleSet = await loadRules(BUNDLED_RULE_DIRS);
  const targets = Array.from({ length: 500 }, (_, i) => hostTarget(i));
  const now = new Date(AT);
  const hostRules = ruleSet.byTarget.get('host').length;
  // Warm up both, then measure.
  rate((t) => evaluateTarget(ruleSet, t, { now }), targets, hostRules, 0.5);
  const allRules = rate((t) => evaluateTarget(ruleSet, t, { now }), targets, hostRules);
  const four = ['BV-AV-001', 'BV-FW-001', 'BV-CRY-001', 'BV-ID-001'];
  const subset = { ...ruleSet, byTarget: new Map([['host', ruleSet.byTarget.get('host').filter((r) => four.includes(r.id))]]) };
  // The engine and the hand-written code must agree before their speeds are compared.
  for (const t of targets.slice(0, 50)) {
    const a = evaluateTarget(subset, t, { now }).map((r) => `${r.ruleId}:${r.status}`).sort();
    const b = handWritten(t).map((r) => `${r.ruleId}:${r.status}`).sort();
    if (a.join() !== b.join()) throw new Error(`engine and hand-written rules disagree on ${t.id}: ${a} vs ${b}`);
  }
  rate(handWritten, targets, 4, 0.5);
  const engineFour = rate((t) => evaluateTarget(subset, t, { now }), targets, 4);
  const handFour = rate(handWritten, targets, 4);
  return {
    bundledHostRules: hostRules,
    ruleEvaluationsPerSecond: allRules,
    sameFourRules: { engine: engineFour, handWritten: handFour, slowdown: +(handFour / engineFour).toFixed(2) },
    targets: { ruleEvaluationsPerSecond: 200_000, maxSlowdown: 5 },
    meetsTargets: allRules >= 200_000 && handFour / engineFour <= 5,
  };
}
