import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNetworkProbe, type NetworkProbeOptions } from '../../agent/probes/network/index.js';
import { evaluateLocally } from '../../cli/local-evaluation.js';
import type { Target } from '../../report/schema.js';
import { loadNetworkModelWithParams } from '../../rules/network-model.js';
import { requirePrograms } from '../support/require.js';
import { startSnmpsim, type SnmpsimServer } from '../support/servers/snmpsim.js';
import { startUdpProxy, type UdpProxy } from '../support/servers/udp-proxy.js';

/**
 * Hostile and broken SNMP agents: wrong types, truncated and padded PortLists, huge tables,
 * silence, and a switch that stops answering in the middle of a walk. Each gives error facts
 * and unknown results, never a crash and never a pass.
 */
const MODEL = join(import.meta.dirname, '..', 'fixtures', 'network', 'model.yaml');

// A small, valid 4-port Q-BRIDGE switch in snmprec format (OID|TYPE|VALUE, x = hex).
function snmprec(overrides: Record<string, string> = {}, extra: string[] = []): string {
  const rows = new Map<string, string>([
    ['1.3.6.1.2.1.1.1.0', '4|hostile test switch'],
    ['1.3.6.1.2.1.1.2.0', '6|1.3.6.1.4.1.99999'],
    ['1.3.6.1.2.1.1.5.0', '4|sw-hostile'],
  ]);
  for (let p = 1; p <= 4; p++) {
    rows.set(`1.3.6.1.2.1.17.1.4.1.2.${p}`, `2|${1000 + p}`);
    rows.set(`1.3.6.1.2.1.17.7.1.4.5.1.1.${p}`, `66|${p <= 2 ? 10 : 110}`);
    rows.set(`1.3.6.1.2.1.31.1.1.1.1.${1000 + p}`, `4|port${p}`);
  }
  rows.set('1.3.6.1.2.1.17.7.1.4.3.1.1.10', '4|adm');
  rows.set('1.3.6.1.2.1.17.7.1.4.3.1.1.110', '4|ped');
  rows.set('1.3.6.1.2.1.17.7.1.4.3.1.2.10', '4x|C0');
  rows.set('1.3.6.1.2.1.17.7.1.4.3.1.2.110', '4x|30');
  rows.set('1.3.6.1.2.1.17.7.1.4.3.1.4.10', '4x|C0');
  rows.set('1.3.6.1.2.1.17.7.1.4.3.1.4.110', '4x|30');
  for (const [k, v] of Object.entries(overrides)) {
    if (v === '') rows.delete(k);
    else rows.set(k, v);
  }
  const key = (o: string) => o.split('.').map(Number);
  const cmp = (a: string, b: string) => {
    const x = key(a);
    const y = key(b);
    for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i]! - y[i]!;
    return x.length - y.length;
  };
  const all = [...[...rows].map(([o, v]) => `${o}|${v}`), ...extra];
  return all.sort((a, b) => cmp(a.split('|')[0]!, b.split('|')[0]!)).join('\n') + '\n';
}

const CASES = {
  valid: snmprec(),
  // dot1qPvid as an OctetString, the egress PortList as an Integer.
  wrongtype: snmprec({ '1.3.6.1.2.1.17.7.1.4.5.1.1.2': '4|ten', '1.3.6.1.2.1.17.7.1.4.3.1.2.110': '2|48' }),
  // Padding bits for ports 9–16 that do not exist, and an empty (fully truncated) untagged list.
  padded: snmprec({ '1.3.6.1.2.1.17.7.1.4.3.1.2.110': '4x|30FF', '1.3.6.1.2.1.17.7.1.4.3.1.4.110': '4x|' }),
  // A bridge with ports but no VLAN tables at all.
  novlans: snmprec({
    '1.3.6.1.2.1.17.7.1.4.3.1.1.10': '',
    '1.3.6.1.2.1.17.7.1.4.3.1.1.110': '',
    '1.3.6.1.2.1.17.7.1.4.3.1.2.10': '',
    '1.3.6.1.2.1.17.7.1.4.3.1.2.110': '',
    '1.3.6.1.2.1.17.7.1.4.3.1.4.10': '',
    '1.3.6.1.2.1.17.7.1.4.3.1.4.110': '',
  }),
  // 3000 interface names: more rows than the probe is allowed to read.
  huge: snmprec({}, Array.from({ length: 3000 }, (_, i) => `1.3.6.1.2.1.31.1.1.1.1.${20000 + i}|4|virtual${i}`)),
};

const enabled = requirePrograms('network-hostile', ['snmpsimd']);
const ctx = { exec: null as never, readFile: (p: string) => readFile(p, 'utf8'), now: () => new Date(), logger: pino({ level: 'silent' }) };

describe.runIf(enabled)('network probe against hostile and broken agents', () => {
  let server: SnmpsimServer;
  let dir: string;
  const proxies: UdpProxy[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'basvakt-hostile-'));
    for (const [name, text] of Object.entries(CASES)) {
      writeFileSync(join(dir, `${name}.snmprec`), text);
      writeFileSync(join(dir, `${name}.community`), `${name}\n`);
    }
    server = await startSnmpsim(Object.keys(CASES).map((name) => ({ file: join(dir, `${name}.snmprec`) })));
  });
  afterAll(async () => {
    for (const p of proxies) await p.close();
    await server?.dispose();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const poll = async (community: keyof typeof CASES, extra: Partial<NetworkProbeOptions> = {}, port?: number): Promise<Target> => {
    const [target] = await createNetworkProbe({
      switches: [{ host: '127.0.0.1', port: port ?? server.port, version: '2c', communityFile: join(dir, `${community}.community`) }],
      testDefaultCommunities: false,
      ...extra,
    }).collect(ctx);
    return target!;
  };
  const status = (t: Target) => Object.fromEntries(t.facts.map((f) => [f.name, f.status]));
  const reason = (t: Target, name: string) => {
    const f = t.facts.find((x) => x.name === name)!;
    return f.status === 'ok' ? '' : f.reason;
  };
  const verdicts = async (t: Target) => {
    const report = { schemaVersion: 1 as const, reportId: '00000000-0000-4000-8000-000000000000', agent: { id: 'a', version: '0', hostname: 'h' }, createdAt: new Date().toISOString(), targets: [t] };
    const { results } = await evaluateLocally(report, [], new Date(), await loadNetworkModelWithParams(MODEL));
    return results.filter((r) => r.targetKind === 'switch');
  };

  it('the valid switch passes the separation rules (the baseline)', async () => {
    const t = await poll('valid');
    expect(Object.values(status(t)).every((s) => s === 'ok')).toBe(true);
    const results = await verdicts(t);
    expect(results.find((r) => r.ruleId === 'BV-SEG-002')!.status).toBe('pass');
  });

  it('wrong SNMP types: error facts naming the column, unknown results, no pass', async () => {
    const t = await poll('wrongtype');
    expect(status(t)).toMatchObject({ system: 'ok', vlans: 'error', ports: 'error' });
    expect(reason(t, 'vlans')).toMatch(/fel SNMP-typ/);
    const results = await verdicts(t);
    for (const id of ['BV-SEG-001', 'BV-SEG-002', 'BV-SEG-003', 'BV-SEG-004', 'BV-NET-001']) expect(results.find((r) => r.ruleId === id)!.status).toBe('unknown');
    expect(results.filter((r) => r.status === 'pass' && r.ruleId !== 'BV-CRY-010')).toEqual([]);
  });

  it('padded and truncated PortLists: bits for missing ports ignored, missing octets are zero', async () => {
    const t = await poll('padded');
    const vlans = t.facts.find((f) => f.name === 'vlans')!;
    expect(vlans.status).toBe('ok');
    const ped = (vlans.status === 'ok' ? (vlans.value as { id: number; members: { port: number; untagged: boolean }[] }[]) : []).find((v) => v.id === 110)!;
    expect(ped.members).toEqual([
      { port: 3, ifIndex: 1003, ifName: 'port3', untagged: false },
      { port: 4, ifIndex: 1004, ifName: 'port4', untagged: false },
    ]);
  });

  it('no VLAN tables: vlans and ports unsupported, the rules unknown rather than passing', async () => {
    const t = await poll('novlans');
    expect(status(t)).toMatchObject({ system: 'ok', vlans: 'unsupported', ports: 'unsupported', l3Interfaces: 'ok' });
    const results = await verdicts(t);
    expect(results.filter((r) => r.status === 'pass' && r.ruleId.startsWith('BV-SEG'))).toEqual([]);
  });

  it('huge tables: the walk stops at the row limit and the facts say so', async () => {
    const t = await poll('huge', { maxRows: 1000 });
    expect(status(t)).toMatchObject({ vlans: 'error', ports: 'error' });
    expect(reason(t, 'ports')).toMatch(/fler än 1000 rader/);
    expect((await verdicts(t)).filter((r) => r.status === 'pass')).toEqual([]);
  });

  it('a switch that never answers: every fact an error, every rule unknown or not applicable', async () => {
    const silent = await startUdpProxy(server.port, 0);
    proxies.push(silent);
    const started = Date.now();
    const t = await poll('valid', { timeoutSeconds: 0.3, retries: 1, testDefaultCommunities: true }, silent.port);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(Object.values(status(t)).every((s) => s === 'error')).toBe(true);
    expect(reason(t, 'system')).toMatch(/timed out/);
    const results = await verdicts(t);
    expect(results.filter((r) => r.status === 'pass' || r.status === 'fail')).toEqual([]);
    expect(results.find((r) => r.ruleId === 'BV-CRY-010')!.status).toBe('unknown');
  });

  it('a switch that stops answering mid-walk: the later tables are errors, nothing passes', async () => {
    const flaky = await startUdpProxy(server.port, 4);
    proxies.push(flaky);
    const t = await poll('valid', { timeoutSeconds: 0.3, retries: 0, testDefaultCommunities: true }, flaky.port);
    expect(status(t)).toMatchObject({ system: 'ok', vlans: 'error', ports: 'error', l3Interfaces: 'error', snmpAccess: 'error' });
    expect(reason(t, 'ports')).toMatch(/timed out/);
    const results = await verdicts(t);
    expect(results.filter((r) => r.status === 'pass' || r.status === 'fail')).toEqual([]);
  });
});
