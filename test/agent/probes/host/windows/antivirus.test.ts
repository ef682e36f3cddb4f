import { describe, expect, it } from 'vitest';
import { decodeProductState, parseDefenderStatus, parseSecurityCenterProducts } from '../../../../../agent/probes/host/windows/antivirus.js';
import { expectValidFact, fixture } from './fixtures.js';

describe('parseDefenderStatus', () => {
  it('reads Defender in normal mode with the signature age from the date (constructed from Microsoft example values)', () => {
    const product = parseDefenderStatus(fixture('antivirus/constructed-defender-normal-ps51.json'), new Date('2024-06-05T20:06:27Z'));
    expect(product).toEqual({
      name: 'Microsoft Defender Antivirus',
      kind: 'defender',
      installed: true,
      running: true,
      realTimeProtection: true,
      signatureVersion: '1.413.102.0',
      signatureDate: '2024-06-04T08:06:27.000Z',
      signatureAgeDays: 1.5,
      signaturesUpToDate: null,
      mode: 'Normal',
    });
    expectValidFact('antivirus', { products: [product] });
  });

  it('reports passive mode and never-updated signatures as unknown, not as fresh (constructed)', () => {
    const product = parseDefenderStatus(fixture('antivirus/constructed-defender-passive-ps7.json'), new Date('2024-06-05T00:00:00Z'));
    expect(product.mode).toBe('Passive Mode');
    expect(product.realTimeProtection).toBe(false);
    expect(product.signatureDate).toBeNull();
    expect(product.signatureAgeDays).toBeNull();
    expect(product.signatureVersion).toBeNull();
    expectValidFact('antivirus', { products: [product] });
  });

  it('falls back to AntivirusSignatureAge when there is no date', () => {
    const product = parseDefenderStatus('{"AMServiceEnabled":true,"AntivirusEnabled":false,"AntivirusSignatureAge":9}', new Date());
    expect(product.signatureAgeDays).toBe(9);
    expect(product.running).toBe(false);
    expect(product.realTimeProtection).toBeNull();
  });

  it('rejects an object that is not Get-MpComputerStatus', () => {
    expect(() => parseDefenderStatus('{"Name":"x"}', new Date())).toThrow(/AMServiceEnabled/);
  });
});

describe('decodeProductState', () => {
  it.each([
    [397568, 'on', true, true], // 0x061100 Defender on, up to date
    [393472, 'off', true, true], // 0x060100 Defender off
    [266240, 'on', true, false], // 0x041000 third party on, up to date
    [266256, 'on', false, false], // 0x041010 third party on, out of date
    [262144, 'off', true, false], // 0x040000 third party off
    [270336, 'snoozed', true, false], // 0x042000
  ])('%i → %s, up to date %s, Microsoft %s', (state, scanner, upToDate, microsoft) => {
    expect(decodeProductState(state)).toEqual({ scanner, signaturesUpToDate: upToDate, microsoft });
  });
});

describe('parseSecurityCenterProducts', () => {
  it('lists a third-party product and a switched-off Defender (constructed)', () => {
    const products = parseSecurityCenterProducts(fixture('antivirus/constructed-securitycenter2-two-products.json'));
    expect(products.map((p) => [p.name, p.running, p.realTimeProtection])).toEqual([
      ['F-Secure Client Security 12.00', true, true],
      ['Windows Defender', false, false],
    ]);
    expect(products.map((p) => p.signaturesUpToDate)).toEqual([true, true]);
    expect(products[1]!.mode).toBeNull();
    expect(products.every((p) => p.kind === 'securitycenter' && p.signatureAgeDays === null)).toBe(true);
    expectValidFact('antivirus', { products });
  });

  it('reads a single product written as a bare object (constructed)', () => {
    const products = parseSecurityCenterProducts(fixture('antivirus/constructed-securitycenter2-defender-only.json'));
    expect(products).toHaveLength(1);
    expect(products[0]!.signaturesUpToDate).toBe(true);
    expectValidFact('antivirus', { products });
  });

  it('reads no registered product as an empty list', () => {
    expect(parseSecurityCenterProducts('')).toEqual([]);
  });
});
