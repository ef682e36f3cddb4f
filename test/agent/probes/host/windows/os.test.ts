import { describe, expect, it } from 'vitest';
import { editionFromCaption, parseOperatingSystem } from '../../../../../agent/probes/host/windows/os.js';
import { expectValidFact, fixture } from './fixtures.js';

describe('parseOperatingSystem', () => {
  it('reads a Windows 10 workstation (constructed, PowerShell 5.1 shape)', () => {
    const os = parseOperatingSystem(fixture('os/constructed-win10-enterprise-ps51.json'));
    expect(os).toEqual({
      platform: 'windows',
      id: 'windows',
      name: 'Microsoft Windows 10 Enterprise',
      version: '10.0.19045',
      build: '19045.4529',
      edition: 'Enterprise',
      kernel: '10.0.19045',
      arch: 'x86_64',
      isServer: false,
    });
    expectValidFact('os', os);
  });

  it('reads a Windows Server 2022 (constructed from real Get-ComputerInfo values, PowerShell 7 shape)', () => {
    const os = parseOperatingSystem(fixture('os/constructed-ws2022-datacenter-ps7.json'));
    expect(os.edition).toBe('Datacenter');
    expect(os.build).toBe('20348');
    expect(os.isServer).toBe(true);
    expectValidFact('os', os);
  });

  it('falls back to OSArchitecture and leaves isServer unknown without ProductType', () => {
    const os = parseOperatingSystem('{"Caption":"Microsoft Windows 11 Pro","Version":"10.0.22631","BuildNumber":"22631","OSArchitecture":"64-bit"}');
    expect(os.arch).toBe('64-bit');
    expect(os.isServer).toBeNull();
    expect(os.edition).toBe('Pro');
  });

  it('rejects output without Caption or Version, and error text', () => {
    expect(() => parseOperatingSystem('{"BuildNumber":"19045"}')).toThrow(/Caption or Version/);
    expect(() => parseOperatingSystem('Get-CimInstance : Access denied')).toThrow(/expected JSON/);
    expect(() => parseOperatingSystem('')).toThrow(/returned nothing/);
  });
});

describe('editionFromCaption', () => {
  it.each([
    ['Microsoft Windows 11 Pro', 'Pro'],
    ['Microsoft Windows 10 Enterprise N', 'Enterprise N'],
    ['Microsoft Windows 10 Enterprise LTSC', 'Enterprise LTSC'],
    ['Microsoft Windows Server 2012 R2 Standard', 'Standard'],
    ['Microsoft Windows Server 2022 Datacenter', 'Datacenter'],
    ['Microsoft Windows 8.1 Pro', 'Pro'],
    ['Something else entirely', null],
  ])('%s → %s', (caption, edition) => {
    expect(editionFromCaption(caption)).toBe(edition);
  });
});
