import { describe, expect, it } from 'vitest';
import { originFromName, parseLocalGroupMembers, parseNetLocalGroup } from '../../../../../agent/probes/host/windows/local-admins.js';
import { expectValidFact, fixture } from './fixtures.js';

describe('parseNetLocalGroup', () => {
  it('reads local and domain members of a domain-joined Windows 7 (real)', () => {
    const accounts = parseNetLocalGroup(fixture('localAdmins/net-localgroup-administrators-win7.txt'));
    expect(accounts.map((a) => [a.name, a.origin])).toEqual([
      ['Administrator', 'local'],
      ['SOMECOMPANY\\ansible', 'domain'],
      ['SOMECOMPANY\\da', 'domain'],
      ['SOMECOMPANY\\Domain Admins', 'domain'],
      ['SOMECOMPANY\\localadmin', 'domain'],
      ['user1', 'local'],
    ]);
    expect(accounts.every((a) => a.via === 'Administrators' && a.enabled === null)).toBe(true);
    expectValidFact('localAdmins', { accounts });
  });

  it('reads the local members of a Windows 11 (real)', () => {
    const accounts = parseNetLocalGroup(fixture('localAdmins/net-localgroup-administrators-win11.txt'));
    expect(accounts.map((a) => a.name)).toEqual(['Administrator', 'user1']);
    expectValidFact('localAdmins', { accounts });
  });

  it('drops the translated closing line by its period', () => {
    // Inline input: the real Windows 11 output with Swedish labels and closing line.
    const swedish = fixture('localAdmins/net-localgroup-administrators-win11.txt')
      .replace('Alias name', 'Aliasnamn')
      .replace('The command completed successfully.', 'Kommandot har utförts.');
    expect(parseNetLocalGroup(swedish).map((a) => a.name)).toEqual(['Administrator', 'user1']);
  });

  it('refuses output without a member list', () => {
    expect(() => parseNetLocalGroup('System error 1376 has occurred.\r\n\r\nThe specified local group does not exist.\r\n')).toThrow(/no member list/);
  });
});

describe('parseLocalGroupMembers', () => {
  it('reads numeric PrincipalSource from compressed JSON (real, Windows Server 2022)', () => {
    const accounts = parseLocalGroupMembers(fixture('localAdmins/get-localgroupmember-ws2022.json'));
    expect(accounts).toEqual([
      { name: 'WIN2022SC\\Administrator', origin: 'local', via: 'Administrators', enabled: null },
      { name: 'WIN2022SC\\vagrant', origin: 'local', via: 'Administrators', enabled: null },
    ]);
    expectValidFact('localAdmins', { accounts });
  });

  it('reads local, Active Directory and Entra ID members with their enabled state (constructed)', () => {
    const accounts = parseLocalGroupMembers(fixture('localAdmins/constructed-members-mixed.json'));
    expect(accounts.map((a) => [a.name, a.origin, a.enabled])).toEqual([
      ['PC-0142\\Administrator', 'local', false],
      ['PC-0142\\lokaladmin', 'local', true],
      ['KOMMUN\\Domain Admins', 'domain', null],
      ['AzureAD\\anna.andersson', 'domain', null],
    ]);
    expectValidFact('localAdmins', { accounts });
  });

  it('decides the origin by name when the principal source is unknown', () => {
    const accounts = parseLocalGroupMembers('[{"Name":"PC-0142\\\\admin","PrincipalSource":0},{"Name":"KOMMUN\\\\it","PrincipalSource":"Unknown"}]', 'pc-0142');
    expect(accounts.map((a) => a.origin)).toEqual(['local', 'domain']);
  });
});

describe('originFromName', () => {
  it.each([
    ['Administrator', null, 'local'],
    ['NT AUTHORITY\\INTERACTIVE', null, 'local'],
    ['HOST1\\admin', 'HOST1', 'local'],
    ['HOST1\\admin', null, 'domain'],
    ['AzureAD\\someone', 'HOST1', 'domain'],
  ] as const)('%s (host %s) → %s', (name, host, origin) => {
    expect(originFromName(name, host)).toBe(origin);
  });
});
