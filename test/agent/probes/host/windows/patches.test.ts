import { describe, expect, it } from 'vitest';
import { parseLastHotfix, parseWindowsUpdateSearch, patchesValue } from '../../../../../agent/probes/host/windows/patches.js';
import { expectValidFact, fixture } from './fixtures.js';

const NOW = new Date('2024-06-12T08:00:00Z');

describe('parseWindowsUpdateSearch', () => {
  it('counts pending and security updates, recognising security by category id or MSRC rating (constructed)', () => {
    const search = parseWindowsUpdateSearch(fixture('patches/constructed-wua-pending.json'));
    expect(search.pending).toHaveLength(3);
    expect(search.pending.map((u) => [u.kb, u.security])).toEqual([
      ['KB5039211', true],
      // Swedish category name, upper-case id, one category written as a bare object.
      ['KB5038281', true],
      ['KB2267602', false],
    ]);
    expect(search.pending[0]!.severity).toBe('Critical');
    expect(search.lastSearch).toBe('2024-06-12T03:15:09.000Z');
    expect(search.lastInstallation).toBe('2024-06-11T00:00:00.000Z');
  });

  it('reads an empty result (constructed, PowerShell 7)', () => {
    const search = parseWindowsUpdateSearch(fixture('patches/constructed-wua-none-ps7.json'));
    expect(search.pending).toEqual([]);
    const value = patchesValue(search, null);
    expect(value).toEqual({
      manager: 'windows-update',
      pendingSecurity: 0,
      pendingTotal: 0,
      securityUpdates: [],
      lastRefresh: '2024-06-12T03:15:09.000Z',
      lastInstalled: '2024-06-11T00:00:00.000Z',
    });
    expectValidFact('patches', value);
  });

  it('rejects output that is not a search result rather than reporting nothing pending', () => {
    expect(() => parseWindowsUpdateSearch('{"LastSearchSuccessDate":null}')).toThrow(/no Updates/);
    expect(() => parseWindowsUpdateSearch('Exception from HRESULT: 0x8024402C')).toThrow(/expected JSON/);
    expect(() => parseWindowsUpdateSearch('')).toThrow(/returned nothing/);
  });
});

describe('parseLastHotfix', () => {
  it('takes the newest InstalledOn over the 5.1 date shapes and skips hotfixes without a date (constructed)', () => {
    expect(parseLastHotfix(fixture('patches/constructed-hotfix-ps51.json'), NOW)).toBe('2024-06-11T00:00:00.000Z');
  });

  it('ignores dates after now', () => {
    expect(parseLastHotfix(fixture('patches/constructed-hotfix-ps51.json'), new Date('2024-06-01T00:00:00Z'))).toBe('2019-05-16T00:00:00.000Z');
  });

  it('reads a single PowerShell 7 hotfix with an offset (constructed)', () => {
    expect(parseLastHotfix(fixture('patches/constructed-hotfix-ps7-single.json'), NOW)).toBe('2024-06-10T22:00:00.000Z');
  });
});

describe('patchesValue', () => {
  it('lists the security updates by KB and takes the later install date', () => {
    const search = parseWindowsUpdateSearch(fixture('patches/constructed-wua-pending.json'));
    const value = patchesValue(search, '2024-06-11T09:30:00.000Z');
    expect(value.pendingSecurity).toBe(2);
    expect(value.pendingTotal).toBe(3);
    expect(value.securityUpdates).toEqual(['KB5039211', 'KB5038281']);
    expect(value.lastInstalled).toBe('2024-06-11T09:30:00.000Z');
    expectValidFact('patches', value);
  });
});
