import type { Fact } from '../../../report/schema.js';
import { LLDP_CAPABILITIES } from '../../../report/facts/switch.js';
import { observe, UnsupportedFact } from '../fact.js';
import { buildInventory, type Inventory } from './inventory.js';
import { OID } from './oids.js';
import { integers, octets, texts } from './tables.js';
import type { WalkedTables } from './walked.js';

const OPER_STATUS = ['up', 'down', 'testing', 'unknown', 'dormant', 'notPresent', 'lowerLayerDown'] as const;
const DOT1X = ['forceUnauthorized', 'auto', 'forceAuthorized'] as const;

function capabilities(buf: Buffer): (typeof LLDP_CAPABILITIES)[number][] {
  return LLDP_CAPABILITIES.filter((_, bit) => ((buf[0] ?? 0) >> (7 - bit)) & 1);
}

function vlansValue(inv: Inventory) {
  return inv.vlans.map((v) => ({
    id: v.id,
    name: v.name,
    members: [...v.egress]
      .sort((a, b) => a - b)
      .map((port) => {
        const ifIndex = inv.baseports.get(port) ?? null;
        return { port, ifIndex, ifName: ifIndex === null ? null : (inv.ifNames.get(ifIndex) ?? null), untagged: v.untagged.has(port) };
      }),
  }));
}

function portsValue(inv: Inventory, tables: WalkedTables) {
  const aliases = new Map([...texts(OID.ifAlias, tables.rows('ifAlias'))].map(([k, v]) => [Number(k), v]));
  const oper = new Map([...integers(OID.ifOperStatus, tables.rows('ifOperStatus'))].map(([k, v]) => [Number(k), v]));
  const ingress = new Map([...integers(OID.dot1qPortIngressFiltering, tables.rows('dot1qPortIngressFiltering'))].map(([k, v]) => [Number(k), v]));
  const dot1x = new Map([...integers(OID.dot1xAuthAuthControlledPortControl, tables.rows('dot1xAuthAuthControlledPortControl'))].map(([k, v]) => [Number(k), v]));
  // LLDP remote tables: index TimeMark.LocalPortNum.RemIndex; LocalPortNum is the baseport.
  const localPort = (index: string) => Number(index.split('.')[1]);
  const neighbours = new Map<number, { sysName: string | null; portId: string | null; capabilities: (typeof LLDP_CAPABILITIES)[number][] }>();
  const neighbour = (port: number) => {
    let n = neighbours.get(port);
    if (!n) neighbours.set(port, (n = { sysName: null, portId: null, capabilities: [] }));
    return n;
  };
  for (const [index, name] of texts(OID.lldpRemSysName, tables.rows('lldpRemSysName'))) neighbour(localPort(index)).sysName = name || null;
  for (const [index, id] of texts(OID.lldpRemPortId, tables.rows('lldpRemPortId'))) neighbour(localPort(index)).portId = id || null;
  for (const [index, caps] of octets(OID.lldpRemSysCapEnabled, tables.rows('lldpRemSysCapEnabled'))) neighbour(localPort(index)).capabilities = capabilities(caps);

  return [...inv.baseports.keys()]
    .sort((a, b) => a - b)
    .map((baseport) => {
      const ifIndex = inv.baseports.get(baseport) ?? null;
      const status = ifIndex === null ? undefined : oper.get(ifIndex);
      const control = ifIndex === null ? undefined : dot1x.get(ifIndex);
      const filtering = ingress.get(baseport);
      return {
        baseport,
        ifIndex,
        ifName: ifIndex === null ? null : (inv.ifNames.get(ifIndex) ?? null),
        ifAlias: ifIndex === null ? null : aliases.get(ifIndex) || null,
        operStatus: status !== undefined ? (OPER_STATUS[status - 1] ?? null) : null,
        pvid: inv.pvids.get(baseport) ?? null,
        ingressFiltering: filtering === 1 ? true : filtering === 2 ? false : null,
        dot1xControl: control !== undefined ? (DOT1X[control - 1] ?? null) : null,
        egressVlans: inv.vlans.filter((v) => v.egress.has(baseport)).map((v) => v.id),
        untaggedVlans: inv.vlans.filter((v) => v.untagged.has(baseport)).map((v) => v.id),
        lldpNeighbour: neighbours.get(baseport) ?? null,
      };
    });
}

function prefixLength(mask: string): number {
  return mask.split('.').reduce((n, octet) => n + [...Number(octet).toString(2)].filter((b) => b === '1').length, 0);
}

function l3Value(inv: Inventory, tables: WalkedTables) {
  const masks = new Map<string, string>();
  for (const vb of tables.rows('ipAdEntNetMask')) {
    const index = vb.oid.replace(/^\./, '').slice(OID.ipAdEntNetMask.length + 1);
    if (typeof vb.value === 'string') masks.set(index, vb.value);
  }
  return [...integers(OID.ipAdEntIfIndex, tables.rows('ipAdEntIfIndex'))].map(([address, ifIndex]) => {
    const ifName = inv.ifNames.get(ifIndex) ?? null;
    const svi = ifName ? /^(?:vl|vlan|vlanif|vlan-interface)\s*(\d{1,4})$/i.exec(ifName) : null;
    const mask = masks.get(address);
    return { ifIndex, ifName, address, prefixLength: mask ? prefixLength(mask) : 32, vlanId: svi ? Number(svi[1]) : null };
  });
}

/** The switch facts from walked tables: each fact its own value or error. */
export async function switchFactsFrom(tables: WalkedTables, source: string, now: () => Date): Promise<Fact[]> {
  let inventory: Inventory | Error;
  try {
    inventory = buildInventory(tables);
  } catch (error) {
    inventory = error instanceof Error ? error : new Error(String(error));
  }
  const withInventory = <T>(build: (inv: Inventory) => T, needsVlans: boolean) => async () => {
    if (inventory instanceof Error) throw inventory;
    // No VLAN table at all is not "no VLANs": the rules must say unknown, not pass.
    if (needsVlans && inventory.source === 'none') {
      throw new UnsupportedFact('switchen redovisar inga VLAN, varken i Q-BRIDGE-MIB eller CISCO-VTP-MIB (no VLAN tables)');
    }
    return { value: build(inventory), source: `${source} ${inventory.source}` };
  };
  return Promise.all([
    observe('vlans', source, withInventory(vlansValue, true), now),
    observe('ports', source, withInventory((inv) => portsValue(inv, tables), true), now),
    observe('l3Interfaces', source, withInventory((inv) => l3Value(inv, tables), false), now),
  ]);
}

