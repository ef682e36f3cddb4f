import type { Varbind } from 'net-snmp';
import { FactError } from '../fact.js';
import { OID } from './oids.js';
import type { SnmpClient } from './session.js';

export type TableName = Exclude<keyof typeof OID, 'sysDescr' | 'sysObjectID' | 'sysName'>;

const QBRIDGE_AND_PORTS: readonly TableName[] = [
  'dot1dBasePortIfIndex',
  'ifName',
  'ifAlias',
  'ifOperStatus',
  'dot1qVlanStaticName',
  'dot1qVlanStaticEgressPorts',
  'dot1qVlanStaticUntaggedPorts',
  'dot1qVlanCurrentEgressPorts',
  'dot1qVlanCurrentUntaggedPorts',
  'dot1qPvid',
  'dot1qPortIngressFiltering',
  'lldpLocPortId',
  'lldpRemSysName',
  'lldpRemPortId',
  'lldpRemSysCapEnabled',
  'dot1xAuthAuthControlledPortControl',
  'ipAdEntIfIndex',
  'ipAdEntNetMask',
];
const VTP: readonly TableName[] = ['vtpVlanName', 'vmVlan', 'vlanTrunkPortNativeVlan', 'vlanTrunkPortVlansEnabled', 'vlanTrunkPortDynamicStatus'];

/** The walked tables of one switch: rows, or the error that stopped the walk. */
export class WalkedTables {
  private readonly results = new Map<TableName, Varbind[] | Error>();
  /** Set when the switch stopped answering during the walk. */
  stopped: Error | undefined;

  set(name: TableName, result: Varbind[] | Error): void {
    this.results.set(name, result);
  }

  /** Rows of a table; throws the walk's error so the fact built from it becomes an error fact. */
  rows(name: TableName): Varbind[] {
    const result = this.results.get(name);
    if (result === undefined) return [];
    if (result instanceof Error) throw new FactError(`${name} (${OID[name]}): ${result.message}`);
    return result;
  }

  has(name: TableName): boolean {
    const result = this.results.get(name);
    return Array.isArray(result) && result.length > 0;
  }
}

/**
 * Walks the tables one after the other (one request in flight per switch). After a
 * timeout the switch is not asked again: every later table carries the same error.
 */
export async function walkTables(client: SnmpClient): Promise<WalkedTables> {
  const tables = new WalkedTables();
  let stopped: Error | undefined;
  const walk = async (name: TableName) => {
    if (stopped) return tables.set(name, stopped);
    try {
      tables.set(name, await client.walk(OID[name]));
    } catch (error) {
      const e = error instanceof Error ? error : new Error(String(error));
      tables.set(name, e);
      if (/tid|timed out|deadline/i.test(e.message)) stopped = e;
    }
  };
  for (const name of QBRIDGE_AND_PORTS) await walk(name);
  // Cisco IOS keeps VLANs in CISCO-VTP-MIB when Q-BRIDGE-MIB is empty.
  if (!tables.has('dot1qVlanStaticName') && !tables.has('dot1qVlanStaticEgressPorts') && !tables.has('dot1qVlanCurrentEgressPorts')) {
    for (const name of VTP) await walk(name);
  }
  tables.stopped = stopped;
  return tables;
}
