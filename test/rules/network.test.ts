import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { flowAllowed, inRanges, isUplink, overlappingRange, rangeLabel, subnetOf, zoneOf, zonesOf } from '../../rules/engine/network.js';
import { loadNetworkModel, networkModelParams } from '../../rules/network-model.js';

const ZONES = ['ADM:10,100-149:', 'PED::ped|elev', 'GÄST:200:'];

describe('network CEL helpers', () => {
  it('zoneOf: VLAN id first, then the name pattern, else ""', () => {
    expect(zoneOf(10, 'elev', ZONES)).toBe('ADM');
    expect(zoneOf(120, null, ZONES)).toBe('ADM');
    expect(zoneOf(20, 'Elevnät', ZONES)).toBe('PED');
    expect(zoneOf(999n, 'skrivare', ZONES)).toBe('');
    expect(() => zoneOf(1, 'x', ['ADM'])).toThrow(/zonspecifikation/);
  });

  it('zonesOf: distinct sorted zones, names from the switch', () => {
    const vlans = [{ id: 20, name: 'ped-1' }, { id: 10, name: 'x' }, { id: 30, name: 'okänt' }];
    expect(zonesOf([20, 10, 30, 10], vlans, ZONES)).toEqual(['ADM', 'PED']);
  });

  it('isUplink: several VLANs towards a bridge, router or access point', () => {
    expect(isUplink({ egressVlans: [10, 20], lldpNeighbour: { capabilities: ['bridge'] } })).toBe(true);
    expect(isUplink({ egressVlans: [10], lldpNeighbour: { capabilities: ['bridge'] } })).toBe(false);
    expect(isUplink({ egressVlans: [10, 20], lldpNeighbour: { capabilities: ['telephone'] } })).toBe(false);
    expect(isUplink({ egressVlans: [10, 20], lldpNeighbour: null })).toBe(false);
  });

  it('address ranges', () => {
    expect(inRanges('10.1.10.0/24', ['a=10.1.0.0/20'])).toBe(true);
    expect(inRanges('10.1.0.0/16', ['10.1.0.0/20'])).toBe(false);
    expect(overlappingRange('10.2.5.0/24', ['x=10.3.0.0/16', 'bengtsfors=10.2.0.0/16'])).toBe('bengtsfors=10.2.0.0/16');
    expect(rangeLabel('10.10.0.7', ['ADM=10.10.0.0/24'])).toBe('ADM');
    expect(subnetOf('10.1.10.77', 24)).toBe('10.1.10.0/24');
    expect(inRanges('2001:db8::1', ['2001:db8::/32'])).toBe(true);
    expect(() => inRanges('10.1.1.300', [])).toThrow(/ogiltig adress/);
  });

  it('flowAllowed: zone or host, port lists and ranges', () => {
    const flows = ['PED>10.10.0.10:443', 'PED>ADM:88,389', 'GÄST>*:80-81'];
    expect(flowAllowed('PED', '10.10.0.10', 'ADM', 443, flows)).toBe(true);
    expect(flowAllowed('PED', '10.10.0.11', 'ADM', 443, flows)).toBe(false);
    expect(flowAllowed('PED', '10.10.0.11', 'ADM', 389, flows)).toBe(true);
    expect(flowAllowed('GÄST', '10.1.1.1', 'MGMT', 81, flows)).toBe(true);
    expect(() => flowAllowed('PED', 'x', 'ADM', 1, ['nonsense'])).toThrow(/ogiltigt flöde/);
  });
});

describe('network model file', () => {
  const write = (text: string) => {
    const dir = mkdtempSync(join(tmpdir(), 'basvakt-model-'));
    const file = join(dir, 'model.yaml');
    writeFileSync(file, text);
    return { file, done: () => rmSync(dir, { recursive: true, force: true }) };
  };

  it('becomes rule parameters', async () => {
    const m = write(`kommun: amal
kommuner:
  amal: { zones: { ADM: { vlans: [10, "100-149"], names: "adm", ranges: [10.1.0.0/20] }, PED: { names: "ped", ranges: [10.1.16.0/20] } } }
  dals-ed: { zones: { ADM: { ranges: [10.3.0.0/16] } } }
trunkAllowlist: [core-01]
allowedFlows:
  - { from: PED, to: ADM, ports: [443] }
  - { from: PED, to: ADM, ports: [445], allow: false }
`);
    try {
      expect(networkModelParams(await loadNetworkModel(m.file))).toEqual({
        zones: ['ADM:10,100-149:adm', 'PED::ped'],
        zoneRanges: ['ADM=10.1.0.0/20', 'PED=10.1.16.0/20'],
        ownRanges: ['amal=10.1.0.0/20', 'amal=10.1.16.0/20'],
        otherRanges: ['dals-ed=10.3.0.0/16'],
        trunkAllowlist: ['core-01'],
        registeredFirewalls: [],
        flows: ['PED>ADM:443'],
      });
    } finally {
      m.done();
    }
  });

  it('refuses overlapping kommun ranges and bad values, naming the line', async () => {
    const m = write(`kommun: amal
kommuner:
  amal: { zones: { ADM: { ranges: [10.1.0.0/16] } } }
  bengtsfors:
    zones:
      ADM:
        ranges: [10.1.128.0/17]
      PED: { vlans: ["5000"], names: "(" }
`);
    try {
      const error = await loadNetworkModel(m.file).catch((e: Error) => e);
      expect(String(error)).toMatch(/överlappar 10\.1\.0\.0\/16 \(amal\)/);
      expect(String(error)).toMatch(/rad 7: kommuner.bengtsfors.zones.ADM.ranges\[0\]/);
      expect(String(error)).toMatch(/PED.vlans\[0\]/);
      expect(String(error)).toMatch(/ogiltigt reguljärt uttryck/);
    } finally {
      m.done();
    }
  });
});

describe('config/network-model.example.yaml', () => {
  it('is a valid network model', async () => {
    const model = await loadNetworkModel(join(import.meta.dirname, '..', '..', 'config', 'network-model.example.yaml'));
    expect(networkModelParams(model).flows).toEqual(['PED>10.1.5.10:443', 'PED>ADM:53']);
  });
});
