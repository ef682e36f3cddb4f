import { describe, expect, it } from 'vitest';
import { parseIdentity } from '../../../../../agent/probes/host/windows/identity.js';
import { expectValidFact, fixture } from './fixtures.js';

describe('parseIdentity', () => {
  it('takes MachineGuid as the machine id and builds the FQDN of a domain member (constructed)', () => {
    const value = parseIdentity(fixture('identity/constructed-domain-member.json'));
    expect(value).toEqual({
      hostname: 'PC-0142',
      fqdn: 'pc-0142.ad.kommun.se',
      machineId: '6f3a1c2e-8b4d-4e5f-9a0b-1c2d3e4f5a6b',
      addresses: ['fe80::5d1c:2b3a:9e4f:1a2b', '10.20.30.42', '::1', '127.0.0.1'],
    });
    expectValidFact('identity', value);
  });

  it('does not take an all-F SMBIOS UUID as an identity, and reads a scalar address list (constructed)', () => {
    const value = parseIdentity(fixture('identity/constructed-no-machineguid.json'));
    expect(value).toEqual({ hostname: 'WIN-FIXTURE', fqdn: null, machineId: null, addresses: ['10.0.0.5'] });
    expectValidFact('identity', value);
  });

  it('falls back to the SMBIOS UUID when MachineGuid is missing', () => {
    expect(parseIdentity('{"MachineGuid":null,"ProductUuid":"4C4C4544-0042-3510-8052-B4C04F4E4D32","Hostname":"PC1"}').machineId).toBe(
      '4c4c4544-0042-3510-8052-b4c04f4e4d32',
    );
  });
});
