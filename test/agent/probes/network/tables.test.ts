import { describe, expect, it } from 'vitest';
import { compareOids, isUnder } from '../../../../agent/probes/network/session.js';
import { displayText, integers, lastComponent, octets } from '../../../../agent/probes/network/tables.js';
import { FactError } from '../../../../agent/probes/fact.js';

describe('SNMP table helpers', () => {
  it('orders OIDs as SNMP does', () => {
    expect(compareOids([1, 3, 6], [1, 3, 6, 1])).toBe(-1);
    expect(compareOids([1, 3, 10], [1, 3, 9, 1])).toBe(1);
    expect(compareOids([1, 3], [1, 3])).toBe(0);
    expect(isUnder([1, 3, 6], [1, 3, 6, 1])).toBe(true);
    expect(isUnder([1, 3, 6], [1, 3, 6])).toBe(false);
    expect(isUnder([1, 3, 6], [1, 3, 7, 1])).toBe(false);
  });

  it('reads columns by index and refuses values of the wrong type', () => {
    expect(integers('1.2', [{ oid: '1.2.5', type: 66, value: 10 }])).toEqual(new Map([['5', 10]]));
    expect(() => integers('1.2', [{ oid: '1.2.5', type: 4, value: Buffer.from('x') }])).toThrow(FactError);
    expect(() => octets('1.2', [{ oid: '1.2.5', type: 2, value: 3 }])).toThrow(/fel SNMP-typ/);
    expect(lastComponent('0.10')).toBe(10);
  });

  it('decodes display text: UTF-8, else Latin-1, without trailing NULs and spaces', () => {
    expect(displayText(Buffer.from('förvaltning\0\0 ', 'utf8'))).toBe('förvaltning');
    expect(displayText(Buffer.from([0x66, 0xf6, 0x72]))).toBe('för');
  });
});
