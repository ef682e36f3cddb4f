import { describe, expect, it } from 'vitest';
import { parsePsJson, psBool, psDate, psList, psObjects } from '../../../../../agent/probes/host/windows/psjson.js';

describe('psDate', () => {
  it('reads the Windows PowerShell 5.1 "\\/Date(ms)\\/" form as UTC', () => {
    expect(psDate('/Date(1700000000000)/')).toBe('2023-11-14T22:13:20.000Z');
  });

  it('ignores the writer offset that some serialisers append to the 5.1 form', () => {
    expect(psDate('/Date(1700000000000+0100)/')).toBe('2023-11-14T22:13:20.000Z');
  });

  it('unwraps {value, DateTime} objects', () => {
    expect(psDate({ value: '/Date(1700000000000)/', DateTime: 'Tuesday, November 14, 2023 11:13:20 PM' })).toBe('2023-11-14T22:13:20.000Z');
  });

  it('reads PowerShell 7 ISO strings with and without offset', () => {
    expect(psDate('2023-11-14T23:13:20+01:00')).toBe('2023-11-14T22:13:20.000Z');
    expect(psDate('2023-11-14T22:13:20.1234567Z')).toBe('2023-11-14T22:13:20.123Z');
    expect(psDate('2023-11-14T22:13:20')).toBe('2023-11-14T22:13:20.000Z');
  });

  it('treats empty values and the WMI "never" dates as null', () => {
    expect(psDate(null)).toBeNull();
    expect(psDate('')).toBeNull();
    expect(psDate('/Date(-11644473600000)/')).toBeNull();
    expect(psDate('/Date(0)/')).toBeNull();
  });

  it('rejects what is not a date', () => {
    expect(() => psDate('6/4/2024 8:06:27 AM')).toThrow(/not a date/);
    expect(() => psDate(42)).toThrow(/not a date/);
  });
});

describe('psList', () => {
  it('normalises the collection shapes of ConvertTo-Json', () => {
    expect(psList([1, 2])).toEqual([1, 2]);
    expect(psList({ value: [1, 2], Count: 2 })).toEqual([1, 2]);
    expect(psList({ a: 1 })).toEqual([{ a: 1 }]);
    expect(psList('x')).toEqual(['x']);
    expect(psList(null)).toEqual([]);
    expect(psList('')).toEqual([]);
  });

  it('does not unwrap an ordinary object that happens to have a value property', () => {
    expect(psList({ value: 1, Name: 'x' })).toEqual([{ value: 1, Name: 'x' }]);
  });

  it('rejects non-objects where objects are required', () => {
    expect(() => psObjects([{ a: 1 }, 2], 'Things')).toThrow(/Things\[1\]/);
  });
});

describe('parsePsJson', () => {
  it('parses JSON with a byte order mark and surrounding whitespace', () => {
    expect(parsePsJson('\uFEFF\r\n{"a": 1}\r\n')).toEqual({ a: 1 });
  });

  it('reads no output as no objects', () => {
    expect(parsePsJson('  \r\n')).toBeNull();
  });

  it('rejects error text and broken JSON', () => {
    expect(() => parsePsJson("Get-MpComputerStatus : The term 'Get-MpComputerStatus' is not recognized")).toThrow(/expected JSON/);
    expect(() => parsePsJson('{"a": ')).toThrow(/invalid JSON/);
  });
});

describe('psBool', () => {
  it('accepts the forms booleans take in ConvertTo-Json', () => {
    expect([true, 1, 'True', '1'].map(psBool)).toEqual([true, true, true, true]);
    expect([false, 0, 'False', '0'].map(psBool)).toEqual([false, false, false, false]);
    expect([2, 'NotConfigured', null].map(psBool)).toEqual([null, null, null]);
  });
});
