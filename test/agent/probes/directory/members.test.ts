import { describe, expect, it } from 'vitest';
import { resolveMembers } from '../../../../agent/probes/directory/openldap.js';
import { accountClass, dnsNameOf } from '../../../../agent/probes/directory/context.js';

describe('OpenLDAP recursive membership', () => {
  const users = new Map([
    ['uid=anna,ou=people', 'anna'],
    ['uid=bertil,ou=people', 'bertil'],
    ['uid=frida,ou=people', 'frida'],
  ]);

  it('resolves nested groups and counts a user once', () => {
    const groups = new Map([
      ['cn=admins', ['uid=bertil,ou=people', 'cn=it-drift']],
      ['cn=it-drift', ['uid=frida,ou=people', 'uid=bertil,ou=people']],
    ]);
    expect([...resolveMembers('cn=admins', groups, users)].sort()).toEqual(['bertil', 'frida']);
  });

  it('survives a membership cycle and ignores members that are neither users nor groups', () => {
    const groups = new Map([
      ['cn=a', ['cn=b', 'uid=anna,ou=people', 'cn=deleted-user']],
      ['cn=b', ['cn=a', 'uid=frida,ou=people']],
    ]);
    expect([...resolveMembers('cn=a', groups, users)].sort()).toEqual(['anna', 'frida']);
  });
});

describe('account classes', () => {
  it('lists at most 5000 names, sorted, beside the full count', () => {
    const names = Array.from({ length: 6000 }, (_, i) => `user${String(5999 - i).padStart(4, '0')}`);
    const cls = accountClass(names, 'userAccountControl & 0x10000');
    expect(cls.count).toBe(6000);
    expect(cls.accounts).toHaveLength(5000);
    expect(cls.accounts[0]).toBe('user0000');
  });

  it('derives the DNS name from DC components', () => {
    expect(dnsNameOf('DC=kommun,DC=se')).toBe('kommun.se');
    expect(dnsNameOf('o=Kommun')).toBeNull();
  });
});
