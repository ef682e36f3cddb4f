import { describe, expect, it } from 'vitest';
import { DecodeError, fileTime, generalizedTime, intervalDays, intervalMinutes, parseBoolean, parseCount, parseInteger, parseSeconds, rdnValue, sidToString, toFileTime } from '../../../../agent/probes/directory/decode.js';

describe('AD intervals and FILETIME (BITS.md §4)', () => {
  it('decodes negative 100-ns intervals into days and minutes, exactly', () => {
    expect(intervalDays('maxPwdAge', '-77760000000000')).toBe(90);
    expect(intervalDays('maxPwdAge', '-36288000000000')).toBe(42);
    expect(intervalDays('minPwdAge', '-864000000000')).toBe(1);
    expect(intervalMinutes('lockoutDuration', '-18000000000')).toBe(30);
    expect(intervalMinutes('lockoutDuration', '-6000000000')).toBe(10);
  });

  it('reads "never" (0x8000000000000000) and 0 as null, without losing precision on the way', () => {
    expect(intervalDays('maxPwdAge', '-9223372036854775808')).toBeNull();
    expect(intervalDays('maxPwdAge', '0')).toBeNull();
    expect(intervalMinutes('lockoutDuration', '-9223372036854775808')).toBeNull();
    // Number('-9223372036854775807') rounds to the "never" value; BigInt keeps them apart.
    expect(intervalDays('maxPwdAge', '-9223372036854775807')).toBeCloseTo(10675199.1167, 3);
  });

  it('refuses a positive interval, non-numbers and values beyond 64 bits', () => {
    expect(() => intervalDays('maxPwdAge', '77760000000000')).toThrow(DecodeError);
    expect(() => intervalDays('maxPwdAge', 'never')).toThrow(/maxPwdAge: ogiltigt värde "never"/);
    expect(() => parseInteger('x', '-9223372036854775809')).toThrow(DecodeError);
    expect(() => parseInteger('x', '1e5')).toThrow(DecodeError);
    expect(() => parseInteger('x', '')).toThrow(DecodeError);
  });

  it('converts FILETIME both ways and treats 0 and 0x7FFFFFFFFFFFFFFF as not set', () => {
    expect(fileTime('lastLogonTimestamp', '134398844729166390')?.toISOString()).toBe('2026-11-23T05:14:32.916Z');
    expect(fileTime('accountExpires', '0')).toBeNull();
    expect(fileTime('accountExpires', '9223372036854775807')).toBeNull();
    const date = new Date('2025-06-01T12:00:00.000Z');
    expect(fileTime('pwdLastSet', toFileTime(date).toString())).toEqual(date);
    expect(() => fileTime('pwdLastSet', '-5')).toThrow(DecodeError);
  });
});

describe('LDAP syntaxes', () => {
  it('parses GeneralizedTime as AD and OpenLDAP write it', () => {
    expect(generalizedTime('whenCreated', '20261123051433.0Z').toISOString()).toBe('2026-11-23T05:14:33.000Z');
    expect(generalizedTime('pwdChangedTime', '20200101000000Z').toISOString()).toBe('2020-01-01T00:00:00.000Z');
    expect(generalizedTime('x', '20200101000000.5+0100').toISOString()).toBe('2019-12-31T23:00:00.500Z');
    expect(() => generalizedTime('pwdChangedTime', 'yesterday')).toThrow(DecodeError);
    expect(() => generalizedTime('pwdChangedTime', '20201301000000Z')).toThrow(DecodeError);
  });

  it('parses counts, seconds and booleans strictly', () => {
    expect(parseCount('minPwdLength', '14')).toBe(14);
    expect(() => parseCount('minPwdLength', '-1')).toThrow(DecodeError);
    expect(parseSeconds('pwdMaxAge', '31536000')).toBe(31_536_000);
    expect(parseBoolean('pwdLockout', 'TRUE')).toBe(true);
    expect(parseBoolean('pwdLockout', 'false')).toBe(false);
    expect(() => parseBoolean('pwdLockout', 'yes')).toThrow(DecodeError);
  });

  it('formats a binary objectSid and reads the first RDN value', () => {
    expect(sidToString(Buffer.from('AQIAAAAAAAUgAAAAIAIAAA==', 'base64'))).toBe('S-1-5-32-544');
    expect(sidToString(Buffer.from('AQQAAAAAAAUVAAAA9xJl4Hldz0BcRrs4', 'base64'))).toBe('S-1-5-21-3764720375-1087331705-951797340');
    expect(sidToString(Buffer.from([1, 4, 0]))).toBeNull();
    expect(rdnValue('CN=Domain Admins,CN=Users,DC=kommun,DC=test')).toBe('Domain Admins');
    expect(rdnValue('CN=Nilsson\\, Anna,OU=Personal,DC=kommun,DC=se')).toBe('Nilsson, Anna');
  });
});
