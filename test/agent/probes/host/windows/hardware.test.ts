import { describe, expect, it } from 'vitest';
import { isVirtualModel, parseHardware } from '../../../../../agent/probes/host/windows/hardware.js';
import { expectValidFact, fixture } from './fixtures.js';

describe('parseHardware', () => {
  it('recognises a Hyper-V guest as a virtual machine (constructed)', () => {
    const hw = parseHardware(fixture('hardware/constructed-hyperv-vm.json'));
    expect(hw).toEqual({ chassis: 'virtual-machine', manufacturer: 'Microsoft Corporation', model: 'Virtual Machine', virtual: true });
    expectValidFact('hardware', hw);
  });

  it('recognises a laptop from PCSystemType 2 and chassis type 10 (constructed)', () => {
    const hw = parseHardware(fixture('hardware/constructed-lenovo-laptop.json'));
    expect(hw).toEqual({ chassis: 'laptop', manufacturer: 'LENOVO', model: '20N9S2H300', virtual: false });
    expectValidFact('hardware', hw);
  });

  it('uses the chassis type when PCSystemType says nothing', () => {
    expect(parseHardware('{"Manufacturer":"Dell Inc.","Model":"PowerEdge R740","PCSystemType":0,"ChassisTypes":23}').chassis).toBe('server');
    expect(parseHardware('{"Manufacturer":"HP","Model":"EliteDesk 800 G6","PCSystemType":0,"ChassisTypes":[3]}').chassis).toBe('desktop');
    expect(parseHardware('{"Manufacturer":"HP","Model":"X","PCSystemType":0,"ChassisTypes":[]}').chassis).toBe('unknown');
  });

  it('leaves virtual unknown when neither manufacturer nor model is known', () => {
    expect(parseHardware('{"Manufacturer":null,"Model":null,"PCSystemType":null,"ChassisTypes":null}')).toEqual({
      chassis: 'unknown',
      manufacturer: null,
      model: null,
      virtual: null,
    });
  });

  it.each([
    ['VMware, Inc.', 'VMware7,1', true],
    ['innotek GmbH', 'VirtualBox', true],
    ['QEMU', 'Standard PC (Q35 + ICH9, 2009)', true],
    ['Xen', 'HVM domU', true],
    ['Amazon EC2', 't3.medium', true],
    ['LENOVO', '20N9S2H300', false],
  ])('isVirtualModel(%s, %s) = %s', (manufacturer, model, expected) => {
    expect(isVirtualModel(manufacturer, model)).toBe(expected);
  });
});
