import { readdirSync, readFileSync } from 'node:fs';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNetworkProbe } from '../../agent/probes/network/index.js';
import type { Target } from '../../report/schema.js';
import { requirePrograms } from '../support/require.js';
import { startSnmpsim, type SnmpsimServer } from '../support/servers/snmpsim.js';

/**
 * The 19 real switch recordings from LibreNMS, served by Debian's snmpsimd: the VLAN ids,
 * names and port memberships the probe extracts must equal each device's expected file.
 */
const FIXTURES = join(import.meta.dirname, '..', '..', '..', 'shared', 'fixtures', 'snmp', 'librenms');
const DEVICES = readdirSync(FIXTURES)
  .filter((f) => f.endsWith('.snmprec'))
  .map((f) => f.replace(/\.snmprec$/, ''))
  .sort();

interface Member {
  baseport: number;
  ifIndex: number | null;
  ifName: string | null;
  untagged: boolean;
}
interface ExpectedVlan {
  id: number;
  name: string | null;
  members: Member[];
}

const enabled = requirePrograms('network-librenms', ['snmpsimd']);

describe.runIf(enabled)('network probe against the LibreNMS recordings (snmpsimd)', () => {
  let server: SnmpsimServer;
  let secrets: string;
  const targets = new Map<string, Target>();

  beforeAll(async () => {
    server = await startSnmpsim(DEVICES.map((d) => ({ file: join(FIXTURES, `${d}.snmprec`) })));
    secrets = mkdtempSync(join(tmpdir(), 'basvakt-communities-'));
    for (const d of DEVICES) writeFileSync(join(secrets, d), `${d}\n`);
    const probe = createNetworkProbe({
      switches: DEVICES.map((d) => ({ host: server.host, port: server.port, version: '2c' as const, communityFile: join(secrets, d) })),
      testDefaultCommunities: false,
      concurrency: 8,
    });
    const results = await probe.collect({ exec: null as never, readFile: (p) => readFile(p, 'utf8'), now: () => new Date(), logger: pino({ level: 'silent' }) });
    results.forEach((t, i) => targets.set(DEVICES[i]!, t));
  }, 60_000);
  afterAll(async () => {
    await server?.dispose();
    if (secrets) rmSync(secrets, { recursive: true, force: true });
  });

  const vlansOf = (device: string): ExpectedVlan[] => {
    const fact = targets.get(device)!.facts.find((f) => f.name === 'vlans')!;
    if (fact.status !== 'ok') throw new Error(`${device}: ${fact.reason}`);
    return (fact.value as { id: number; name: string | null; members: ({ port: number } & Omit<Member, 'baseport'>)[] }[]).map((v) => ({
      id: v.id,
      name: v.name,
      members: v.members.map((m) => ({ baseport: m.port, ifIndex: m.ifIndex, ifName: m.ifName, untagged: m.untagged })),
    }));
  };
  const expected = (device: string): ExpectedVlan[] =>
    (JSON.parse(readFileSync(join(FIXTURES, `${device}.expected.json`), 'utf8')) as { vlans: ExpectedVlan[] }).vlans.map((v) => ({ id: v.id, name: v.name, members: v.members }));

  it('has all 19 recordings', () => {
    expect(DEVICES).toHaveLength(19);
  });

  it.each(DEVICES.filter((d) => d !== 'ios_c3560'))('%s: VLAN ids, names and memberships equal the expected file', (device) => {
    expect(vlansOf(device)).toEqual(expected(device));
  });

  it('ios_c3560 (Cisco IOS, CISCO-VTP-MIB): ids, names and untagged memberships equal the expected file', () => {
    const got = vlansOf('ios_c3560');
    const want = expected('ios_c3560');
    expect(got.map((v) => [v.id, v.name])).toEqual(want.map((v) => [v.id, v.name]));
    // Access VLANs (vmVlan) and trunk native VLANs, with baseports from dot1dBasePortIfIndex
    // and LLDP's local port numbers.
    const untagged = (vlans: ExpectedVlan[]) => vlans.map((v) => ({ id: v.id, members: v.members.filter((m) => m.untagged).map((m) => m.baseport) }));
    expect(untagged(got)).toEqual(untagged(want));
    // LibreNMS took the trunks' tagged VLANs from per-VLAN community@vlan contexts that the
    // recording does not contain (nor vlanTrunkPortVlansEnabled), so none can be found here.
    expect(got.flatMap((v) => v.members.filter((m) => !m.untagged))).toEqual([]);
    // Where the expected file names the interface, so does the probe.
    for (const v of want) for (const m of v.members.filter((x) => x.ifName !== null && x.untagged)) {
      expect(got.find((g) => g.id === v.id)!.members.find((g) => g.baseport === m.baseport)).toEqual(m);
    }
    expect(targets.get('ios_c3560')!.facts.find((f) => f.name === 'vlans')!.source).toContain('cisco-vtp');
  });

  it('every target carries a complete, valid set of switch facts', async () => {
    const { validateReport } = await import('../../report/validate.js');
    const report = { schemaVersion: 1, reportId: '00000000-0000-4000-8000-000000000000', agent: { id: 'a', version: '0', hostname: 'h' }, createdAt: new Date().toISOString(), targets: [...targets.values()] };
    const validation = validateReport(report);
    expect(validation.ok ? [] : validation.problems).toEqual([]);
    for (const t of targets.values()) expect(t.facts.filter((f) => f.status !== 'ok').map((f) => [t.name, f.name])).toEqual([]);
  });
});
