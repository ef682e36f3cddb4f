import { describe, expect, it } from 'vitest';
import { parseW32tmStatus } from '../../../../../agent/probes/host/windows/time-sync.js';
import { expectValidFact, fixture } from './fixtures.js';

describe('parseW32tmStatus', () => {
  it('reads a synchronised client: source without flags, stratum and phase offset (real)', () => {
    const value = parseW32tmStatus(fixture('timeSync/w32tm-status-synced.txt'));
    expect(value).toEqual({ service: 'w32time', synchronized: true, offsetSeconds: -0.0038147, source: 'time.windows.com', stratum: 4 });
    expectValidFact('timeSync', value);
  });

  it('reads a client that never synchronised as not synchronised (real)', () => {
    const value = parseW32tmStatus(fixture('timeSync/w32tm-status-never-synced.txt'));
    expect(value).toEqual({ service: 'w32time', synchronized: false, offsetSeconds: 0, source: 'Local CMOS Clock', stratum: 0 });
    expectValidFact('timeSync', value);
  });

  it('reads a stopped Windows Time service as not synchronised', () => {
    // The wording of this message is translated; the HRESULT is not.
    const value = parseW32tmStatus('The following error occurred: The service has not been started. (0x80070426)\r\n');
    expect(value).toEqual({ service: 'w32time', synchronized: false, offsetSeconds: null, source: null, stratum: null });
  });

  it('reads translated output by position, with a decimal comma', () => {
    // Inline input: the real synced example with every key replaced by a placeholder, standing
    // for a translation, and the decimal point turned into a comma.
    const translated = fixture('timeSync/w32tm-status-synced.txt')
      .split('\n')
      .map((line, i) => line.replace(/^[^:]+:/, `Key${i}:`).replace('-0.0038147s', '-0,0038147s'))
      .join('\n');
    expect(parseW32tmStatus(translated)).toMatchObject({ synchronized: true, offsetSeconds: -0.0038147, source: 'time.windows.com', stratum: 4 });
  });

  it('refuses output that is not w32tm status', () => {
    expect(() => parseW32tmStatus('Access is denied.')).toThrow(/not the output/);
  });
});
