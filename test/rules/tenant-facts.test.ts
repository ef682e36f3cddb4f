import { beforeAll, describe, expect, it } from 'vitest';
import type { Fact } from '../../report/schema.js';
import { tenantFacts } from '../../report/facts/tenant.js';
import { BUNDLED_RULE_DIRS, evaluateTarget, loadRules, type EvaluationTarget, type RuleSet } from '../../rules/engine/index.js';
import { tenantTarget } from '../../rules/tenant-facts/index.js';
import { failedFact, okFact } from '../support/reports.js';

const NOW = new Date('2026-11-23T08:00:00Z');

function system(id: string, entry: Record<string, unknown>, login?: Record<string, unknown>): EvaluationTarget {
  const facts: Fact[] = [okFact('register', { name: id, category: 'business', ...entry })];
  if (login) facts.push(okFact('login', login));
  return { kind: 'system', id, name: String(entry.name ?? id), facts };
}

function directory(id: string, groups: Record<string, { purpose?: string; members: string[] | null }>): EvaluationTarget {
  const accounts = [...new Set(Object.values(groups).flatMap((g) => g.members ?? []))].sort();
  return {
    kind: 'directory',
    id,
    name: id,
    facts: [
      okFact('groupMembers', {
        accounts,
        groups: Object.entries(groups).map(([dn, g]) => ({
          purpose: g.purpose ?? 'system',
          name: dn,
          dn,
          found: g.members !== null,
          members: (g.members ?? []).map((m) => accounts.indexOf(m)),
        })),
        attributes: {},
      }),
    ],
  };
}

const host = (name: string): EvaluationTarget => ({ kind: 'host', id: `machine-${name}`, name, facts: [] });

function value<T>(target: EvaluationTarget, name: string): T {
  const fact = target.facts.find((f) => f.name === name);
  if (fact?.status !== 'ok') throw new Error(`${name}: ${JSON.stringify(fact)}`);
  expect(tenantFacts[name as keyof typeof tenantFacts].value.safeParse(fact.value).success).toBe(true);
  return fact.value as T;
}

// anna and bertil use both systems; cecilia only payroll; david only the sensitive one.
const kommun = [
  system('procapita', { name: 'Procapita', authentication: { sso: 'saml', mfaRequired: true }, classification: { confidentiality: 3 }, userGroups: ['CN=Procapita,DC=k'], hosts: ['procapita-app01.amal.se'] }, { protocol: 'saml', matchesDeclared: true }),
  system('lon', { name: 'Visma Lön', authentication: { sso: 'none', mfaRequired: false }, classification: { confidentiality: 2 }, userGroups: ['cn=lon,dc=k'], hosts: ['LON01'] }),
  directory('dc=k', {
    'cn=procapita,dc=k': { members: ['anna', 'bertil', 'david'] },
    'cn=lon,dc=k': { members: ['anna', 'bertil', 'cecilia'] },
    'cn=mfa,dc=k': { purpose: 'mfa', members: ['anna', 'bertil'] },
  }),
  host('procapita-app01'),
  host('lon01'),
  host('srv-okand'),
];

describe('tenant facts', () => {
  let rules: RuleSet;
  beforeAll(async () => {
    rules = await loadRules(BUNDLED_RULE_DIRS);
  });
  const judge = (target: EvaluationTarget, ruleId: string) => evaluateTarget(rules, target, { now: NOW }).find((r) => r.ruleId === ruleId)!;

  it('counts SSO coverage in people, not group sizes: a user of two systems counts once', () => {
    const t = tenantTarget('amal', 'Åmål', kommun, NOW);
    const { sso } = value<{ sso: Record<string, unknown> }>(t, 'identityCoverage');
    // Users of SSO systems: anna, bertil, david (3); of all business systems: + cecilia (4).
    expect(sso).toMatchObject({ numerator: 3, denominator: 4, percent: 75, incomplete: [] });
    expect(sso.systems).toEqual([
      { id: 'procapita', name: 'Procapita', declared: 'saml', observed: 'confirmed', sso: true, users: 3 },
      { id: 'lon', name: 'Visma Lön', declared: 'none', observed: 'not-probed', sso: false, users: 3 },
    ]);
    expect(judge(t, 'BV-SSO-001')).toMatchObject({ status: 'pass' });
  });

  it('does not count SSO the login page contradicts', () => {
    const contradicted = [system('procapita', { name: 'Procapita', authentication: { sso: 'saml' }, userGroups: ['cn=procapita,dc=k'] }, { protocol: 'none', matchesDeclared: false }), ...kommun.slice(1)];
    const t = tenantTarget('amal', 'Åmål', contradicted, NOW);
    expect(value<{ sso: unknown }>(t, 'identityCoverage').sso).toMatchObject({ numerator: 0, denominator: 4, percent: 0 });
    expect(judge(t, 'BV-SSO-001')).toMatchObject({ status: 'fail', subjects: ['Procapita', 'Visma Lön'] });
  });

  it('names the users of sensitive systems outside every MFA group', () => {
    const t = tenantTarget('amal', 'Åmål', kommun, NOW);
    const { mfa } = value<{ mfa: { systems: unknown[] } & Record<string, unknown> }>(t, 'identityCoverage');
    expect(mfa).toMatchObject({ enrolledUsers: 2, sensitiveUsers: 3, sensitiveUsersWithoutMfa: 1, withoutMfa: ['david'], incomplete: [] });
    expect(mfa.systems[0]).toMatchObject({ id: 'procapita', sensitive: true, mfaRequired: true, users: 3, usersWithoutMfa: 1, withoutMfa: ['david'] });
    expect(mfa.systems[1]).toMatchObject({ id: 'lon', sensitive: false });
    expect(judge(t, 'BV-MFA-010')).toMatchObject({ status: 'fail', subjects: ['Procapita: 1 användare utan MFA'] });
  });

  it('is unknown, naming why, when a group is missing from the directory or membership was not read', () => {
    const missing = [...kommun.slice(0, 2), directory('dc=k', { 'cn=procapita,dc=k': { members: null }, 'cn=mfa,dc=k': { purpose: 'mfa', members: ['anna'] } })];
    const t = tenantTarget('amal', 'Åmål', missing, NOW);
    const { sso, mfa } = value<{ sso: { incomplete: string[] }; mfa: { incomplete: string[] } }>(t, 'identityCoverage');
    expect(sso.incomplete).toEqual([
      'Procapita: gruppen CN=Procapita,DC=k finns inte i katalogen (group not found in the directory)',
      'Visma Lön: gruppen cn=lon,dc=k har inte lästs från någon katalog (group not read from any directory)',
    ]);
    expect(mfa.incomplete).toEqual([sso.incomplete[0]]);
    expect(judge(t, 'BV-SSO-001')).toMatchObject({ status: 'unknown' });
    expect(judge(t, 'BV-MFA-010')).toMatchObject({ status: 'unknown' });

    const unread: EvaluationTarget = { kind: 'directory', id: 'dc=k', name: 'kommun.se', facts: [failedFact('groupMembers', 'Insufficient access')] };
    const t2 = tenantTarget('amal', 'Åmål', [...kommun.slice(0, 2), unread], NOW);
    expect(value<{ sso: { incomplete: string[] } }>(t2, 'identityCoverage').sso.incomplete[0]).toBe('kommun.se: gruppmedlemmar (group members): Insufficient access');
  });

  it('keeps users of two directories apart even when their account names are the same', () => {
    const two = [
      system('a', { authentication: { sso: 'saml' }, userGroups: ['cn=a,dc=one'] }),
      system('b', { authentication: { sso: 'none' }, userGroups: ['cn=b,dc=two'] }),
      directory('dc=one', { 'cn=a,dc=one': { members: ['anna'] } }),
      directory('dc=two', { 'cn=b,dc=two': { members: ['anna'] } }),
    ];
    expect(value<{ sso: unknown }>(tenantTarget('t', 't', two, NOW), 'identityCoverage').sso).toMatchObject({ numerator: 1, denominator: 2, percent: 50 });
  });

  it('finds hosts no register entry covers, matching names case-insensitively and by first DNS label', () => {
    const t = tenantTarget('amal', 'Åmål', kommun, NOW);
    expect(value(t, 'registerCoverage')).toEqual({ systems: 2, hosts: 3, registered: 2, unregistered: 1, unregisteredHosts: ['srv-okand'], incomplete: [], secureTransfer: [] });
    expect(judge(t, 'BV-OWN-010')).toMatchObject({ status: 'fail', subjects: ['srv-okand'] });
  });

  it('without any register reported, both facts are errors and the rules unknown, never a pass', () => {
    const t = tenantTarget('amal', 'Åmål', [host('a')], NOW);
    expect(t.facts.map((f) => [f.name, f.status])).toEqual([
      ['identityCoverage', 'error'],
      ['registerCoverage', 'error'],
    ]);
    for (const id of ['BV-SSO-001', 'BV-MFA-010', 'BV-OWN-010']) expect(judge(t, id).status).toBe('unknown');
  });

  it('an unreadable register entry makes the counts incomplete instead of silently smaller', () => {
    const broken: EvaluationTarget = { kind: 'system', id: 'x', name: 'Ciceron', facts: [failedFact('register', 'ogiltigt datum')] };
    const t = tenantTarget('amal', 'Åmål', [broken, ...kommun], NOW);
    expect(value<{ incomplete: string[] }>(t, 'registerCoverage').incomplete).toEqual(['Ciceron: systemförteckningen (register): ogiltigt datum']);
    expect(judge(t, 'BV-OWN-010').status).toBe('unknown');
    expect(judge(t, 'BV-SSO-001').status).toBe('unknown');
  });

  it('without any directory data, says once what to run instead of listing every group', () => {
    const t = tenantTarget('amal', 'Åmål', kommun.filter((x) => x.kind !== 'directory'), NOW);
    const { sso, mfa } = value<{ sso: { incomplete: string[] }; mfa: { incomplete: string[] } }>(t, 'identityCoverage');
    expect(sso.incomplete).toEqual([expect.stringContaining('--probe web,directory')]);
    expect(mfa.incomplete[0]).toContain('ingen katalog anger någon MFA-grupp');
    expect(mfa.incomplete[1]).toContain('--probe web,directory');
    expect(judge(t, 'BV-SSO-001').status).toBe('unknown');
  });

  it('an unclassified system makes MFA coverage unknown: it might be sensitive', () => {
    const unclassified = [...kommun, system('ciceron', { name: 'Ciceron', authentication: { sso: 'none' }, userGroups: ['cn=lon,dc=k'] })];
    const t = tenantTarget('amal', 'Åmål', unclassified, NOW);
    expect(value<{ mfa: { incomplete: string[] } }>(t, 'identityCoverage').mfa.incomplete).toEqual([expect.stringMatching(/^Ciceron: ingen konfidentialitetsklassning/)]);
    expect(judge(t, 'BV-MFA-010').status).toBe('unknown');
  });
});
