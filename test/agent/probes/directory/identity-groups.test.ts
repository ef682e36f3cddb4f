import { describe, expect, it } from 'vitest';
import { groupMembersValue, groupsValue, type ResolvedGroup } from '../../../../agent/probes/directory/identity-groups.js';
import { directoryFacts } from '../../../../report/facts/directory.js';

const resolved: ResolvedGroup[] = [
  { purpose: 'mfa', name: 'mfa', dn: 'cn=mfa,dc=k', members: ['cecilia', 'anna'] },
  { purpose: 'system', name: 'Procapita', dn: 'cn=procapita,dc=k', members: ['anna', 'bertil', 'anna'] },
  { purpose: 'system', name: 'Lön', dn: 'cn=lon,dc=k', members: null },
];

describe('identity group facts', () => {
  it('lists each member once and lets groups refer to them by position', () => {
    const value = groupMembersValue(resolved, 'member');
    expect(value.accounts).toEqual(['anna', 'bertil', 'cecilia']);
    expect(value.groups.map((g) => [g.name, g.found, g.members])).toEqual([
      ['mfa', true, [0, 2]],
      ['Procapita', true, [0, 1]],
      ['Lön', false, []],
    ]);
    expect(directoryFacts.groupMembers.value.safeParse(value).success).toBe(true);
  });

  it('keeps the group sizes of the groups fact', () => {
    expect(groupsValue(resolved, 'member').groups.map((g) => g.memberCount)).toEqual([2, 3, null]);
  });

  it('refuses a member position outside the account list, naming it', () => {
    const result = directoryFacts.groupMembers.value.safeParse({
      accounts: ['anna'],
      groups: [{ purpose: 'sso', name: 'sso', dn: 'cn=sso', found: true, members: [0, 3] }],
      attributes: {},
    });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]).toMatchObject({ path: ['groups', 0, 'members', 1], message: expect.stringContaining('position 3') });
  });
});
