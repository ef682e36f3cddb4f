import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNetworkProbe } from '../../agent/probes/network/index.js';
import type { Target } from '../../report/schema.js';
import { validateReport } from '../../report/validate.js';
import { runCli } from '../support/cli.js';
import { requirePrograms } from '../support/require.js';
import { startSnmpd, type SnmpdServer } from '../support/servers/snmpd.js';
import { ifName, membership, PLANTED_FINDINGS, plantedSwitchFixture, portPlans, VLAN_NAMES } from '../support/switch-fixture.js';

const MODEL = join(import.meta.dirname, '..', 'fixtures', 'network', 'model.yaml');
const ctx = { exec: null as never, readFile: (p: string) => readFile(p, 'utf8'), now: () => new Date(), logger: pino({ level: 'silent' }) };

const enabled = requirePrograms('network-snmpd', ['snmpd', '/usr/bin/python3']);

function fact(target: Target, name: string) {
  const f = target.facts.find((x) => x.name === name);
  if (f?.status !== 'ok') throw new Error(`${name}: ${JSON.stringify(f)}`);
  return f.value as never;
}

function failing(findings: { ruleId: string; status: string; subjects: string[] }[]): Record<string, string[]> {
  return Object.fromEntries(findings.filter((f) => f.status === 'fail').map((f) => [f.ruleId, f.subjects]).sort(([a], [b]) => String(a).localeCompare(String(b))));
}

describe.runIf(enabled)('network probe against snmpd with the planted 48-port, 200-VLAN switch', () => {
  let server: SnmpdServer;
  beforeAll(async () => {
    server = await startSnmpd(plantedSwitchFixture());
  });
  afterAll(async () => server?.dispose());

  const expectInventory = (target: Target) => {
    const vlans = fact(target, 'vlans') as { id: number; name: string; members: { port: number; ifIndex: number; ifName: string; untagged: boolean }[] }[];
    expect(vlans).toHaveLength(200);
    const want = membership();
    for (const v of vlans) {
      expect(v.name).toBe(VLAN_NAMES.get(v.id));
      const m = want.get(v.id)!;
      expect(v.members.map((x) => x.port)).toEqual([...m.egress].sort((a, b) => a - b));
      for (const x of v.members) {
        expect(x.ifName).toBe(ifName(x.port));
        expect(x.ifIndex).toBe(1000 + x.port);
        expect(x.untagged).toBe(m.untagged.includes(x.port));
      }
    }
    const ports = fact(target, 'ports') as { baseport: number; pvid: number; ifName: string; lldpNeighbour: { sysName: string } | null; dot1xControl: string }[];
    expect(ports).toHaveLength(48);
    const plans = portPlans();
    for (const p of ports) expect(p.pvid).toBe(plans.get(p.baseport)!.pvid);
    expect(ports.find((p) => p.baseport === 47)!.lldpNeighbour!.sysName).toBe('sw-okand-07');
    expect(ports.find((p) => p.baseport === 3)!.dot1xControl).toBe('forceAuthorized');
  };

  it('reads the whole inventory over v2c, and sees that public answers', async () => {
    const [target] = await createNetworkProbe({ switches: [{ host: server.host, port: server.port, version: '2c', communityFile: server.files.community }] }).collect(ctx);
    expect(target!.name).toBe('sw-skola-01');
    expectInventory(target!);
    expect(fact(target!, 'snmpAccess')).toEqual({
      version: '2c',
      defaultCommunitiesTested: true,
      defaultCommunityAnswers: [
        { community: 'public', version: '1' },
        { community: 'public', version: '2c' },
      ],
    });
    expect(fact(target!, 'system')).toMatchObject({ sysName: 'sw-skola-01', sysDescr: 'basvakt test switch 48 ports' });
  });

  it('reads the same inventory over SNMPv3 authPriv, secrets from files', async () => {
    const [target] = await createNetworkProbe({
      switches: [{ host: server.host, port: server.port, version: '3', v3: { user: server.v3.user, authFile: server.files.auth, privFile: server.files.priv, authProtocol: 'sha', privProtocol: 'aes' } }],
    }).collect(ctx);
    expectInventory(target!);
    expect((fact(target!, 'snmpAccess') as { version: string }).version).toBe('3');
  });

  it('wrong v3 passphrase: error facts, never values', async () => {
    const [target] = await createNetworkProbe({
      switches: [{ host: server.host, port: server.port, version: '3', v3: { user: server.v3.user, authFile: server.files.priv, privFile: server.files.priv } }],
      timeoutSeconds: 0.3,
      retries: 0,
    }).collect(ctx);
    for (const name of ['system', 'vlans', 'ports', 'l3Interfaces']) expect(target!.facts.find((f) => f.name === name)!.status).toBe('error');
  });

  it.each([
    ['v2c', (s: SnmpdServer) => ['--community-file', s.files.community]],
    ['v3', (s: SnmpdServer) => ['--v3-user', s.v3.user, '--auth-file', s.files.auth, '--priv-file', s.files.priv]],
  ])('basvakt scan --probe network --evaluate (%s) reports the planted findings and nothing else', async (_v, creds) => {
    const result = await runCli(['scan', '--probe', 'network', '--snmp', `${server.host}:${server.port}`, ...creds(server), '--network-model', MODEL, '--evaluate', '--format', 'json']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const { report, findings } = JSON.parse(result.stdout) as { report: unknown; findings: { ruleId: string; status: string; subjects: string[] }[] };
    expect(validateReport(report).ok).toBe(true);
    expect(failing(findings)).toEqual(PLANTED_FINDINGS);
    expect(findings.filter((f) => f.status === 'unknown')).toEqual([]);
    // The facts name every VLAN's member ports by ifName, tagged or untagged, and each port's PVID.
    const target = (report as { targets: Target[] }).targets[0]!;
    const v47 = (fact(target, 'vlans') as { id: number; members: { ifName: string; untagged: boolean }[] }[]).find((v) => v.id === 10)!;
    expect(v47.members).toContainEqual({ port: 47, ifIndex: 1047, ifName: 'ge-1/0/47', untagged: false });
  });

  it('prints a table with the findings', async () => {
    const result = await runCli(['scan', '--probe', 'network', '--snmp', `${server.host}:${server.port}`, '--community-file', server.files.community, '--network-model', MODEL, '--evaluate']);
    expect(result.code).toBe(0);
    for (const id of Object.keys(PLANTED_FINDINGS)) expect(result.stdout).toContain(id);
    expect(result.stdout).toContain('ge-1/0/47 → sw-okand-07');
  });
});
