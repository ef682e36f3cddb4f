import { encodePortList } from '../../agent/probes/network/portlist.js';
import type { FixtureRow } from './servers/snmpd.js';

/**
 * A 48-port, 200-VLAN switch with planted violations, as pass_persist rows. Zones (by VLAN
 * id, see test/fixtures/network/model.yaml): ADM 10–59, PED 110–159, GÄST 200–249, MGMT
 * 300–347; VLAN 999 is in no zone. PortLists are the shortest encoding (truncated, as real
 * agents send them).
 */
export const PORTS = 48;
const ADM = range(10, 59);
const PED = range(110, 159);
const GUEST = range(200, 249);
const MGMT = range(300, 347);

function range(lo: number, hi: number): number[] {
  return Array.from({ length: hi - lo + 1 }, (_, i) => lo + i);
}

export const ifName = (port: number) => `ge-1/0/${port}`;

interface PortPlan {
  untagged: number[];
  tagged: number[];
  pvid: number;
  dot1x?: 1 | 2 | 3;
  ingress?: boolean;
  lldp?: { sysName: string; caps: number };
}

export function portPlans(): Map<number, PortPlan> {
  const plans = new Map<number, PortPlan>();
  for (let p = 1; p <= 20; p++) plans.set(p, { untagged: [10], tagged: [], pvid: 10, dot1x: p === 3 || p === 4 ? 3 : 2 });
  for (let p = 21; p <= 38; p++) plans.set(p, { untagged: [110], tagged: [], pvid: 110 });
  plans.set(39, { untagged: [200], tagged: [], pvid: 200 });
  plans.set(40, { untagged: [200], tagged: [], pvid: 200 });
  // Planted: SEG-002 — access port 5 also carries PED 111 tagged.
  plans.get(5)!.tagged = [111];
  // Planted: SEG-003 — port 25 untagged in PED, PVID in ADM.
  plans.get(25)!.pvid = 10;
  // Planted: NET-001, SEG-002, SEG-003 — port 30 untagged in ADM 11 and PED 110.
  plans.set(30, { untagged: [11, 110], tagged: [], pvid: 110 });
  // A phone behind port 2 is not an uplink.
  plans.get(2)!.lldp = { sysName: 'telefon-112', caps: 0x04 };
  // Planted: SEG-001 — VLAN 999 in no zone.
  plans.set(41, { untagged: [999], tagged: [], pvid: 999 });
  for (let p = 42; p <= 45; p++) plans.set(p, { untagged: [300], tagged: [], pvid: 300 });
  // Planted: SEG-006 — uplink to an access point with native VLAN 1.
  plans.set(46, { untagged: [], tagged: [...PED, ...GUEST], pvid: 1, lldp: { sysName: 'ap-klassrum-3', caps: 0x10 } });
  // Planted: SEG-004, SEG-007 — ADM+PED trunk to a switch not on the allowlist, no ingress filtering.
  plans.set(47, { untagged: [300], tagged: [...ADM, ...PED], pvid: 300, ingress: false, lldp: { sysName: 'sw-okand-07', caps: 0x20 } });
  // The core uplink, on the allowlist: everything tagged, MGMT native.
  plans.set(48, { untagged: [300], tagged: [...ADM, ...PED, ...GUEST, ...MGMT.filter((v) => v !== 300)], pvid: 300, lldp: { sysName: 'core-01', caps: 0x28 } });
  return plans;
}

export const VLAN_NAMES = new Map<number, string>([
  [1, 'default'],
  ...ADM.map((v): [number, string] => [v, `adm-kansli-${v}`]),
  ...PED.map((v): [number, string] => [v, `ped-elev-${v}`]),
  ...GUEST.map((v): [number, string] => [v, `gast-${v}`]),
  ...MGMT.map((v): [number, string] => [v, `mgmt-${v}`]),
  [999, 'skrivare-okand'],
]);

export const L3 = [
  { ifIndex: 5010, name: 'Vl10', address: '10.1.10.1', mask: '255.255.255.0' },
  { ifIndex: 5110, name: 'Vl110', address: '10.1.20.1', mask: '255.255.255.0' },
  { ifIndex: 5300, name: 'Vl300', address: '10.1.99.2', mask: '255.255.255.0' },
  // Planted: IPP-001 and IPP-002 — in bengtsfors's range.
  { ifIndex: 5301, name: 'Vl301', address: '10.2.5.1', mask: '255.255.255.0' },
  // Planted: IPP-001 — outside the plan.
  { ifIndex: 5200, name: 'Vl200', address: '192.168.50.1', mask: '255.255.255.0' },
];

const hex = (buf: Buffer) => [...buf].map((b) => b.toString(16).padStart(2, '0').toUpperCase()).join(' ');

export function membership(plans = portPlans()): Map<number, { egress: number[]; untagged: number[] }> {
  const out = new Map<number, { egress: number[]; untagged: number[] }>();
  for (const id of VLAN_NAMES.keys()) out.set(id, { egress: [], untagged: [] });
  for (const [port, plan] of plans) {
    for (const v of plan.untagged) {
      out.get(v)!.egress.push(port);
      out.get(v)!.untagged.push(port);
    }
    for (const v of plan.tagged) out.get(v)!.egress.push(port);
  }
  return out;
}

export function plantedSwitchFixture(): FixtureRow[] {
  const rows: FixtureRow[] = [];
  const plans = portPlans();
  for (let p = 1; p <= PORTS; p++) {
    const ifIndex = 1000 + p;
    const plan = plans.get(p)!;
    rows.push([`1.3.6.1.2.1.17.1.4.1.2.${p}`, 'integer', String(ifIndex)]);
    rows.push([`1.3.6.1.2.1.17.7.1.4.5.1.1.${p}`, 'gauge', String(plan.pvid)]);
    rows.push([`1.3.6.1.2.1.17.7.1.4.5.1.3.${p}`, 'integer', plan.ingress === false ? '2' : '1']);
    rows.push([`1.3.6.1.2.1.2.2.1.2.${ifIndex}`, 'string', `GigabitEthernet1/0/${p}`]);
    rows.push([`1.3.6.1.2.1.2.2.1.8.${ifIndex}`, 'integer', p <= 44 || p >= 46 ? '1' : '2']);
    rows.push([`1.3.6.1.2.1.31.1.1.1.1.${ifIndex}`, 'string', ifName(p)]);
    rows.push([`1.3.6.1.2.1.31.1.1.1.18.${ifIndex}`, 'string', plan.lldp ? `till ${plan.lldp.sysName}` : p <= 20 ? `kansli rum ${100 + p}` : '']);
    rows.push([`1.0.8802.1.1.1.1.2.1.1.6.${ifIndex}`, 'integer', String(plan.dot1x ?? 3)]);
    if (plan.lldp) {
      rows.push([`1.0.8802.1.1.2.1.4.1.1.7.0.${p}.1`, 'string', 'ge-0/0/1']);
      rows.push([`1.0.8802.1.1.2.1.4.1.1.9.0.${p}.1`, 'string', plan.lldp.sysName]);
      rows.push([`1.0.8802.1.1.2.1.4.1.1.12.0.${p}.1`, 'octet', hex(Buffer.from([plan.lldp.caps, 0]))]);
    }
  }
  for (const l of L3) {
    rows.push([`1.3.6.1.2.1.31.1.1.1.1.${l.ifIndex}`, 'string', l.name]);
    rows.push([`1.3.6.1.2.1.2.2.1.8.${l.ifIndex}`, 'integer', '1']);
    rows.push([`1.3.6.1.2.1.4.20.1.1.${l.address}`, 'ipaddress', l.address]);
    rows.push([`1.3.6.1.2.1.4.20.1.2.${l.address}`, 'integer', String(l.ifIndex)]);
    rows.push([`1.3.6.1.2.1.4.20.1.3.${l.address}`, 'ipaddress', l.mask]);
  }
  for (const [id, m] of membership(plans)) {
    rows.push([`1.3.6.1.2.1.17.7.1.4.3.1.1.${id}`, 'string', VLAN_NAMES.get(id)!]);
    rows.push([`1.3.6.1.2.1.17.7.1.4.3.1.2.${id}`, 'octet', hex(encodePortList(m.egress, 1))]);
    rows.push([`1.3.6.1.2.1.17.7.1.4.3.1.3.${id}`, 'octet', hex(encodePortList([], 1))]);
    rows.push([`1.3.6.1.2.1.17.7.1.4.3.1.4.${id}`, 'octet', hex(encodePortList(m.untagged, 1))]);
    rows.push([`1.3.6.1.2.1.17.7.1.4.3.1.5.${id}`, 'integer', '1']);
  }
  rows.push(['1.3.6.1.2.1.17.7.1.1.4.0', 'gauge', String(VLAN_NAMES.size)]);
  return rows;
}

/** What `basvakt scan --probe network --evaluate` must report for this switch with model.yaml, and nothing else. */
export const PLANTED_FINDINGS: Record<string, string[]> = {
  'BV-CRY-010': ['public (SNMP v1)', 'public (SNMP v2c)'],
  'BV-IPP-001': ['10.2.5.0/24 (Vl301)', '192.168.50.0/24 (Vl200)'],
  'BV-IPP-002': ['10.2.5.0/24 ∩ bengtsfors=10.2.0.0/16'],
  'BV-NET-001': ['ge-1/0/30'],
  'BV-SEG-001': ['VLAN 999 (skrivare-okand)'],
  'BV-SEG-002': ['ge-1/0/5', 'ge-1/0/30'],
  'BV-SEG-003': ['ge-1/0/25 (PVID 10)', 'ge-1/0/30 (PVID 110)'],
  'BV-SEG-004': ['ge-1/0/47 → sw-okand-07'],
  'BV-SEG-005': ['Vl10 10.1.10.1', 'Vl110 10.1.20.1'],
  'BV-SEG-006': ['ge-1/0/46 (PVID 1)'],
  'BV-SEG-007': ['ge-1/0/47'],
  'BV-SEG-008': ['ge-1/0/3', 'ge-1/0/4'],
};
