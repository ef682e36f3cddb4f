import { FactError } from '../fact.js';
import { decodePortList } from './portlist.js';
import { integers, lastComponent, octets, texts } from './tables.js';
import { OID } from './oids.js';
import type { WalkedTables } from './walked.js';

/** VLAN membership of one switch, from Q-BRIDGE-MIB or (Cisco IOS) CISCO-VTP-MIB. */
export interface Inventory {
  source: 'q-bridge-current' | 'q-bridge-static' | 'cisco-vtp' | 'none';
  vlans: { id: number; name: string | null; egress: Set<number>; untagged: Set<number> }[];
  /** dot1dBasePort → ifIndex (null when the switch does not say). */
  baseports: Map<number, number | null>;
  ifNames: Map<number, string>;
  /** PVID per baseport, from dot1qPvid or the Cisco access/native VLAN. */
  pvids: Map<number, number>;
}

const VLAN_MAX = 4_294_967_295;

function vlanOf(index: string): number {
  const id = lastComponent(index);
  if (!Number.isInteger(id) || id < 0 || id > VLAN_MAX) throw new FactError(`ogiltigt VLAN-index ${index} (invalid VLAN index)`);
  return id;
}

function baseportMap(tables: WalkedTables): Map<number, number | null> {
  const map = new Map<number, number | null>();
  for (const [index, ifIndex] of integers(OID.dot1dBasePortIfIndex, tables.rows('dot1dBasePortIfIndex'))) map.set(Number(index), ifIndex);
  return map;
}

function ifNameMap(tables: WalkedTables): Map<number, string> {
  return new Map([...texts(OID.ifName, tables.rows('ifName'))].map(([k, v]) => [Number(k), v]));
}

/** PortList columns indexed by VLAN (static) or TimeMark.VLAN (current; the latest TimeMark wins). */
function portLists(column: string, rows: Parameters<typeof octets>[1], existing: ReadonlySet<number>): Map<number, Set<number>> {
  const out = new Map<number, Set<number>>();
  for (const [index, buf] of octets(column, rows)) out.set(vlanOf(index), new Set(decodePortList(buf, existing)));
  return out;
}

function qbridge(tables: WalkedTables, baseports: Map<number, number | null>): Pick<Inventory, 'source' | 'vlans'> {
  const existing = new Set(baseports.keys());
  const names = new Map([...texts(OID.dot1qVlanStaticName, tables.rows('dot1qVlanStaticName'))].map(([k, v]) => [vlanOf(k), v]));
  const current = tables.has('dot1qVlanCurrentEgressPorts');
  const egress = current
    ? portLists(OID.dot1qVlanCurrentEgressPorts, tables.rows('dot1qVlanCurrentEgressPorts'), existing)
    : portLists(OID.dot1qVlanStaticEgressPorts, tables.rows('dot1qVlanStaticEgressPorts'), existing);
  const untagged = current
    ? portLists(OID.dot1qVlanCurrentUntaggedPorts, tables.rows('dot1qVlanCurrentUntaggedPorts'), existing)
    : portLists(OID.dot1qVlanStaticUntaggedPorts, tables.rows('dot1qVlanStaticUntaggedPorts'), existing);
  const ids = [...new Set([...names.keys(), ...egress.keys()])].sort((a, b) => a - b);
  if (ids.length === 0) return { source: 'none', vlans: [] };
  return {
    source: current ? 'q-bridge-current' : 'q-bridge-static',
    vlans: ids.map((id) => {
      // Members are the egress ports; an untagged bit outside egress (padding, CPU ports) is ignored.
      const e = egress.get(id) ?? new Set<number>();
      return { id, name: names.get(id) || null, egress: e, untagged: new Set([...(untagged.get(id) ?? [])].filter((p) => e.has(p))) };
    }),
  };
}

/** vlanTrunkPortVlansEnabled: 128 octets, bit n (MSB first) = VLAN n. */
function enabledVlans(buf: Buffer): number[] {
  const out: number[] = [];
  for (let i = 0; i < buf.length; i++) for (let b = 0; b < 8; b++) if ((buf[i]! >> (7 - b)) & 1) out.push(i * 8 + b);
  return out;
}

function vtp(tables: WalkedTables, baseports: Map<number, number | null>, ifNames: Map<number, string>): Pick<Inventory, 'source' | 'vlans'> & { pvids: Map<number, number> } {
  const names = new Map([...texts(OID.vtpVlanName, tables.rows('vtpVlanName'))].map(([k, v]) => [vlanOf(k), v]));
  // ifIndex → baseport. Cisco lists only some ports in dot1dBasePortIfIndex outside a VLAN
  // context; LLDP's local port numbers are the baseports and name the interface.
  const portOfIfIndex = new Map<number, number>();
  for (const [bp, ifIndex] of baseports) if (ifIndex !== null) portOfIfIndex.set(ifIndex, bp);
  const ifIndexOfName = new Map([...ifNames].map(([ifIndex, name]) => [name, ifIndex]));
  for (const [index, portId] of texts(OID.lldpLocPortId, tables.rows('lldpLocPortId'))) {
    const ifIndex = ifIndexOfName.get(portId);
    if (ifIndex !== undefined && !portOfIfIndex.has(ifIndex)) {
      portOfIfIndex.set(ifIndex, Number(index));
      if (!baseports.has(Number(index))) baseports.set(Number(index), null);
    }
  }
  const members = new Map<number, { egress: Set<number>; untagged: Set<number> }>();
  const add = (vlan: number, port: number, isUntagged: boolean) => {
    let m = members.get(vlan);
    if (!m) members.set(vlan, (m = { egress: new Set(), untagged: new Set() }));
    m.egress.add(port);
    if (isUntagged) m.untagged.add(port);
  };
  const pvids = new Map<number, number>();
  const access = integers(OID.vmVlan, tables.rows('vmVlan'));
  for (const [index, vlan] of access) {
    const port = portOfIfIndex.get(Number(index));
    if (port === undefined) continue;
    add(vlan, port, true);
    pvids.set(port, vlan);
  }
  const native = integers(OID.vlanTrunkPortNativeVlan, tables.rows('vlanTrunkPortNativeVlan'));
  const enabled = octets(OID.vlanTrunkPortVlansEnabled, tables.rows('vlanTrunkPortVlansEnabled'));
  const status = integers(OID.vlanTrunkPortDynamicStatus, tables.rows('vlanTrunkPortDynamicStatus'));
  for (const [index, nativeVlan] of native) {
    const port = portOfIfIndex.get(Number(index));
    // trunking(1); without the status column a port with no access VLAN is a trunk.
    const trunking = status.has(index) ? status.get(index) === 1 : !access.has(index);
    if (port === undefined || !trunking) continue;
    add(nativeVlan, port, true);
    pvids.set(port, nativeVlan);
    const allowed = enabled.get(index);
    if (allowed) for (const vlan of enabledVlans(allowed)) if (vlan !== nativeVlan && names.has(vlan)) add(vlan, port, false);
  }
  const ids = [...new Set([...names.keys(), ...members.keys()])].sort((a, b) => a - b);
  return {
    source: ids.length > 0 ? 'cisco-vtp' : 'none',
    pvids,
    vlans: ids.map((id) => ({ id, name: names.get(id) || null, egress: members.get(id)?.egress ?? new Set(), untagged: members.get(id)?.untagged ?? new Set() })),
  };
}

/** Builds the VLAN inventory; throws FactError when a table it needs failed or had wrong types. */
export function buildInventory(tables: WalkedTables): Inventory {
  const baseports = baseportMap(tables);
  const ifNames = ifNameMap(tables);
  const q = qbridge(tables, baseports);
  if (q.source !== 'none') {
    const pvids = new Map<number, number>();
    for (const [index, pvid] of integers(OID.dot1qPvid, tables.rows('dot1qPvid'))) pvids.set(Number(index), pvid);
    return { ...q, baseports, ifNames, pvids };
  }
  const v = vtp(tables, baseports, ifNames);
  return { source: v.source, vlans: v.vlans, baseports, ifNames, pvids: v.pvids };
}
