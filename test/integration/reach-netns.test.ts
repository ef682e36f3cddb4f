import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI } from '../support/cli.js';
import { requirePrograms } from '../support/require.js';
import { connect, createLab, type Lab } from '../support/servers/netns.js';

const MODEL = join(import.meta.dirname, '..', 'fixtures', 'network', 'model.yaml');
const enabled = requirePrograms('reach-netns', ['ip', 'nft', 'nc', 'ss']);

// The router's ruleset, with two planted leaks (3389 and 10.10.0.11:445) and one allowed flow
// that is blocked (10.10.0.12:443). 10.10.0.11:389 is rejected with a reset (closed).
const RULESET = `table inet fw {
 chain forward {
  type filter hook forward priority 0; policy accept;
  ct state established,related accept
  iifname "vlan20" oifname "vlan10" ip daddr 10.10.0.10 tcp dport { 443, 3389 } accept
  iifname "vlan20" oifname "vlan10" ip daddr 10.10.0.11 tcp dport 445 accept
  iifname "vlan20" oifname "vlan10" ip daddr 10.10.0.11 tcp dport 389 reject with tcp reset
  iifname "vlan20" oifname "vlan10" drop
 }
}
`;

describe.runIf(enabled)('reach probe from a PED namespace through an nftables router', () => {
  let lab: Lab;
  let dir: string;
  beforeAll(async () => {
    lab = createLab(['adm', 'ped', 'router']);
    connect(lab, 'router', 'vlan10', '10.10.0.1/24', 'adm', ['10.10.0.10/24', '10.10.0.11/24', '10.10.0.12/24']);
    connect(lab, 'router', 'vlan20', '10.20.0.1/24', 'ped', ['10.20.0.10/24']);
    lab.run('router', ['sysctl', '-qw', 'net.ipv4.ip_forward=1']);
    lab.run('router', ['nft', '-f', '-'], RULESET);
    for (const [address, port] of [
      ['10.10.0.10', 443],
      ['10.10.0.10', 22],
      ['10.10.0.10', 3389],
      ['10.10.0.11', 445],
      ['10.10.0.11', 389],
      ['10.10.0.12', 443],
    ] as const) {
      await lab.listen('adm', address, port);
    }
    dir = mkdtempSync(join(tmpdir(), 'basvakt-reach-'));
    writeFileSync(
      join(dir, 'agent.yaml'),
      `collector: { url: "https://basvakt.invalid" }
probes:
  reach:
    options:
      zone: PED
      segment: ped-skola
      ratePerSecond: 100
      timeoutMs: 400
      targets:
        - { host: 10.10.0.10, zone: ADM, ports: [443, 22, 3389, 445] }
        - { host: 10.10.0.11, zone: ADM, ports: [445, 389, 88] }
        - { host: 10.10.0.12, zone: ADM, ports: [443] }
`,
    );
  });
  afterAll(async () => {
    await lab?.dispose();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('reports exactly the planted leaks, and the allowed flow that is blocked as information', () => {
    const out = execFileSync(
      'ip',
      ['netns', 'exec', lab.ns('ped'), process.execPath, CLI, 'scan', '--probe', 'reach', '--config', join(dir, 'agent.yaml'), '--network-model', MODEL, '--evaluate', '--format', 'json'],
      { encoding: 'utf8', env: { ...process.env, BASVAKT_LANG: '' } },
    );
    const { report, findings } = JSON.parse(out) as {
      report: { targets: { kind: string; id: string; facts: { value: { zone: string; probes: { host: string; port: number; outcome: string }[] } }[] }[] };
      findings: { ruleId: string; status: string; subjects: string[]; severity: string }[];
    };
    const probes = report.targets[0]!.facts[0]!.value.probes;
    const outcome = Object.fromEntries(probes.map((p) => [`${p.host}:${p.port}`, p.outcome]));
    expect(outcome).toEqual({
      '10.10.0.10:443': 'open',
      '10.10.0.10:22': 'filtered',
      '10.10.0.10:3389': 'open',
      '10.10.0.10:445': 'filtered',
      '10.10.0.11:445': 'open',
      '10.10.0.11:389': 'closed',
      '10.10.0.11:88': 'filtered',
      '10.10.0.12:443': 'filtered',
    });
    const failing = findings.filter((f) => f.status !== 'pass').map((f) => ({ ruleId: f.ruleId, status: f.status, subjects: f.subjects }));
    expect(failing).toEqual([
      { ruleId: 'BV-SEG-010', status: 'fail', subjects: ['PED → 10.10.0.10:3389 (ADM)', 'PED → 10.10.0.11:445 (ADM)'] },
      { ruleId: 'BV-SEG-011', status: 'fail', subjects: ['PED → 10.10.0.12:443 (filtered)'] },
    ]);
    expect(findings.find((f) => f.ruleId === 'BV-SEG-011')!.severity).toBe('info');
  });
});
