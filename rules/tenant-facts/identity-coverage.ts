import type { z } from 'zod';
import type { tenantFacts } from '../../report/facts/tenant.js';
import type { Directories, RegisteredSystem } from './inputs.js';

export type IdentityCoverage = z.infer<typeof tenantFacts.identityCoverage.value>;

/** KLASSA confidentiality from which a system counts as sensitive (BITS.md MFA-01: K ≥ 3). */
export const SENSITIVE_FROM = 3;
const MAX_NAMES = 100;
const SSO_METHODS = new Set(['saml', 'oidc', 'kerberos']);
const UNCLASSIFIED = 'ingen konfidentialitetsklassning i systemförteckningen, så det går inte att avgöra om systemet är känsligt (no confidentiality classification)';
const NO_DIRECTORY =
  'ingen katalog har rapporterat medlemmarna i systemens användargrupper — kör katalogproben med systemförteckningen, t.ex. basvakt scan --register FIL --probe web,directory (no directory has reported the members of the user groups)';

interface Users {
  users: Set<string> | null;
  problems: string[];
}

/** The distinct users of a system: the union of its user groups' members; null when any group is unknown. */
function usersOf(system: RegisteredSystem, dirs: Directories): Users {
  if (system.userGroups.length === 0) {
    return { users: null, problems: [`${system.name}: inga användargrupper angivna i systemförteckningen (no user groups in the register)`] };
  }
  const users = new Set<string>();
  const problems: string[] = [];
  for (const dn of system.userGroups) {
    const group = dirs.groups.get(dn.toLowerCase());
    if (!group) problems.push(`${system.name}: gruppen ${dn} har inte lästs från någon katalog (group not read from any directory)`);
    else if (!group.found) problems.push(`${system.name}: gruppen ${dn} finns inte i katalogen (group not found in the directory)`);
    else for (const u of group.users) users.add(u);
  }
  return { users: problems.length === 0 ? users : null, problems };
}

function observed(system: RegisteredSystem): 'confirmed' | 'contradicted' | 'not-probed' {
  if (!system.login) return 'not-probed';
  return SSO_METHODS.has(system.login.protocol) && system.login.matchesDeclared !== false ? 'confirmed' : 'contradicted';
}

const percentOf = (part: number, whole: number): number | null => (whole === 0 ? null : Math.round((part * 10000) / whole) / 100);

function union(sets: Iterable<Set<string> | null>): Set<string> {
  const all = new Set<string>();
  for (const s of sets) if (s) for (const u of s) all.add(u);
  return all;
}

/**
 * SSO coverage = distinct users of SSO systems ÷ distinct users of all business systems
 * (GOALS.md SSO); MFA = users of sensitive systems that are in an MFA-enrolled group
 * (GOALS.md 2FA). People, not group sizes: a user of five systems counts once.
 */
export function identityCoverage(systems: readonly RegisteredSystem[], dirs: Directories): IdentityCoverage {
  const business = systems.filter((s) => s.category === 'business');
  const users = new Map(systems.map((s) => [s.id, usersOf(s, dirs)]));
  const size = (s: Set<string> | null) => (s ? s.size : null);

  const ssoSystems = business.map((s) => {
    const seen = observed(s);
    return { id: s.id, name: s.name, declared: s.sso, observed: seen, sso: SSO_METHODS.has(s.sso) && seen !== 'contradicted', users: size(users.get(s.id)!.users) };
  });
  const ssoCounted = new Set(ssoSystems.filter((s) => s.sso).map((s) => s.id));
  const all = union(business.map((s) => users.get(s.id)!.users));
  const withSso = union(business.filter((s) => ssoCounted.has(s.id)).map((s) => users.get(s.id)!.users));

  const sensitive = systems.filter((s) => s.sensitive || (s.confidentiality ?? -1) >= SENSITIVE_FROM);
  const mfa = dirs.mfaUsers;
  const without = (set: Set<string> | null) => (set && mfa ? [...set].filter((u) => !mfa.has(u)) : null);
  const mfaSystems = systems.map((s) => {
    const set = users.get(s.id)!.users;
    const missing = without(set);
    return {
      id: s.id,
      name: s.name,
      confidentiality: s.confidentiality,
      sensitive: sensitive.includes(s),
      mfaRequired: s.mfaRequired,
      users: size(set),
      usersWithoutMfa: missing ? missing.length : null,
      withoutMfa: (missing ?? []).map(dirs.displayName).sort().slice(0, MAX_NAMES),
    };
  });
  const sensitiveUsers = union(sensitive.map((s) => users.get(s.id)!.users));
  const sensitiveWithout = without(sensitiveUsers) ?? [];

  // With no directory data at all, one reason that says what to do beats one per group.
  const noDirectory = dirs.groups.size === 0 && dirs.failed.length === 0;
  const problemsOf = (list: readonly RegisteredSystem[]) =>
    noDirectory && list.some((s) => s.userGroups.length > 0)
      ? [NO_DIRECTORY, ...list.filter((s) => s.userGroups.length === 0).flatMap((s) => users.get(s.id)!.problems)]
      : [...dirs.failed, ...list.flatMap((s) => users.get(s.id)!.problems)];
  // An unclassified system might be sensitive: counting it as not sensitive would let MFA pass.
  const unclassified = systems.filter((s) => !s.sensitive && s.confidentiality === null).map((s) => `${s.name}: ${UNCLASSIFIED}`);
  const mfaIncomplete = [...problemsOf(sensitive), ...unclassified];
  if (sensitive.length > 0 && !mfa) mfaIncomplete.unshift('ingen katalog anger någon MFA-grupp (no directory names an MFA group)');

  return {
    sso: {
      numerator: withSso.size,
      denominator: all.size,
      percent: percentOf(withSso.size, all.size),
      systems: ssoSystems,
      incomplete: problemsOf(business),
    },
    mfa: {
      sensitiveFrom: SENSITIVE_FROM,
      enrolledUsers: mfa?.size ?? 0,
      sensitiveUsers: sensitiveUsers.size,
      sensitiveUsersWithoutMfa: sensitiveWithout.length,
      percent: percentOf(sensitiveUsers.size - sensitiveWithout.length, sensitiveUsers.size),
      withoutMfa: sensitiveWithout.map(dirs.displayName).sort().slice(0, MAX_NAMES),
      systems: mfaSystems,
      incomplete: mfaIncomplete,
    },
  };
}
