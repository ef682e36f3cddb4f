import { describe, expect, it } from 'vitest';
import { parseDirectoryJoin } from '../../../../../agent/probes/host/windows/directory-join.js';
import { expectValidFact, fixture } from './fixtures.js';

describe('parseDirectoryJoin', () => {
  it('reports a domain member with its domain (constructed)', () => {
    const value = parseDirectoryJoin(fixture('directoryJoin/constructed-domain-member.json'));
    expect(value).toEqual({ joined: true, method: 'windows-domain', domain: 'ad.kommun.se' });
    expectValidFact('directoryJoin', value);
  });

  it('does not report the workgroup name as a domain (constructed)', () => {
    const value = parseDirectoryJoin(fixture('directoryJoin/constructed-workgroup.json'));
    expect(value).toEqual({ joined: false, method: null, domain: null });
    expectValidFact('directoryJoin', value);
  });

  it('rejects output without PartOfDomain instead of guessing', () => {
    expect(() => parseDirectoryJoin('{"Domain":"ad.kommun.se"}')).toThrow(/PartOfDomain/);
  });
});
