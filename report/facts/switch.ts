import { z } from 'zod';
import { nullableText, shortText } from '../common.js';
import type { FactSpecs } from './spec.js';

/**
 * Facts the network probe reports about a switch (SNMP: Q-BRIDGE-MIB, BRIDGE-MIB, IF-MIB,
 * LLDP-MIB, IEEE8021-PAE-MIB, CISCO-VTP-MIB). Which zone a VLAN belongs to, and whether a
 * port mixes zones, is decided by the rules against the tenant's network model.
 */

/** RFC 4363 VlanIndex: 1–4094 are 802.1Q VLAN ids, larger values are local (some switches use 4096 for "none"). */
const vlanId = z.number().int().min(0).max(4_294_967_295);
/** Ports per bridge: the largest chassis seen has a few hundred; PortLists can address 65535. */
const MAX_PORTS = 4096;
const MAX_VLANS = 4096;

export const LLDP_CAPABILITIES = ['other', 'repeater', 'bridge', 'wlanAccessPoint', 'router', 'telephone', 'docsisCableDevice', 'stationOnly'] as const;

const member = z.strictObject({
  /** dot1dBasePort: the bridge port number PortLists are written in. */
  port: z.number().int().min(1).max(65535),
  ifIndex: z.number().int().nonnegative().nullable(),
  ifName: nullableText,
  untagged: z.boolean(),
});

export const switchFacts = {
  system: {
    description: { sv: 'Switchens namn, beskrivning och typ (SNMPv2-MIB system)', en: 'Switch name, description and type (SNMPv2-MIB system)' },
    value: z.strictObject({
      sysName: nullableText,
      sysDescr: z.string().max(1024).nullable(),
      sysObjectID: nullableText,
    }),
  },
  snmpAccess: {
    description: {
      sv: 'SNMP-åtkomst: version som användes och om v1/v2c svarar på en standardcommunity (public/private)',
      en: 'SNMP access: version used and whether v1/v2c answers a default community (public/private)',
    },
    value: z.strictObject({
      version: z.enum(['2c', '3']),
      /** Whether the probe tried the default communities (only ever against the declared switch). */
      defaultCommunitiesTested: z.boolean(),
      /** Each default community and version that answered a GET of sysDescr. */
      defaultCommunityAnswers: z.array(z.strictObject({ community: z.enum(['public', 'private']), version: z.enum(['1', '2c']) })).max(4),
    }),
  },
  vlans: {
    description: { sv: 'VLAN med id, namn och medlemsportar (taggade/otaggade)', en: 'VLANs with id, name and member ports (tagged/untagged)' },
    value: z
      .array(
        z.strictObject({
          id: vlanId,
          /** As the device sends it, trailing NULs and spaces removed; null when it sends none. */
          name: nullableText,
          members: z.array(member).max(MAX_PORTS),
        }),
      )
      .max(MAX_VLANS),
  },
  ports: {
    description: {
      sv: 'Bryggportar: gränssnitt, status, PVID, VLAN, 802.1X och LLDP-granne',
      en: 'Bridge ports: interface, status, PVID, VLANs, 802.1X and LLDP neighbour',
    },
    value: z
      .array(
        z.strictObject({
          baseport: z.number().int().min(1).max(65535),
          ifIndex: z.number().int().nonnegative().nullable(),
          ifName: nullableText,
          ifAlias: nullableText,
          operStatus: z.enum(['up', 'down', 'testing', 'unknown', 'dormant', 'notPresent', 'lowerLayerDown']).nullable(),
          /** dot1qPvid, or the Cisco access VLAN / trunk native VLAN. */
          pvid: vlanId.nullable(),
          ingressFiltering: z.boolean().nullable(),
          /** dot1xAuthAuthControlledPortControl; null when the switch has no IEEE8021-PAE-MIB. */
          dot1xControl: z.enum(['forceUnauthorized', 'auto', 'forceAuthorized']).nullable(),
          /** E(p): VLANs whose egress list includes the port. */
          egressVlans: z.array(vlanId).max(MAX_VLANS),
          /** U(p): VLANs whose untagged list includes the port. */
          untaggedVlans: z.array(vlanId).max(MAX_VLANS),
          lldpNeighbour: z
            .strictObject({
              sysName: nullableText,
              portId: nullableText,
              capabilities: z.array(z.enum(LLDP_CAPABILITIES)).max(8),
            })
            .nullable(),
        }),
      )
      .max(MAX_PORTS),
  },
  l3Interfaces: {
    description: { sv: 'IP-adresser på switchens gränssnitt (IP-MIB)', en: 'IP addresses on the switch interfaces (IP-MIB)' },
    value: z
      .array(
        z.strictObject({
          ifIndex: z.number().int().nonnegative(),
          ifName: nullableText,
          address: shortText,
          prefixLength: z.number().int().min(0).max(128),
          /** The VLAN of an SVI (ifName Vl10, vlan10, …); null for other interfaces. */
          vlanId: vlanId.nullable(),
        }),
      )
      .max(4096),
  },
} satisfies FactSpecs;
