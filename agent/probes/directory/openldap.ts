import type { Fact } from '../../../report/schema.js';
import { FactError } from '../fact.js';
import { groupMembersValue, groupsValue, resolveGroups } from './identity-groups.js';
import { accountClass, collectFact, dnsNameOf, enabledAccountsValue, once, unsupported, type DirectoryContext } from './context.js';
import { daysBetween, DecodeError, generalizedTime, parseBoolean, parseCount, parseSeconds, rdnValue } from './decode.js';
import type { Row } from './search.js';

const USERS = '(|(objectClass=inetOrgPerson)(objectClass=posixAccount)(objectClass=account))';
const GROUPS = '(|(objectClass=groupOfNames)(objectClass=groupOfUniqueNames)(objectClass=posixGroup))';
/** slapo-ppolicy: an account locked until an administrator unlocks it. */
const LOCKED_FOREVER = '000001010000Z';

const POLICY_ATTRIBUTES = [
  'cn', 'pwdMinLength', 'pwdInHistory', 'pwdMaxAge', 'pwdMinAge', 'pwdLockout', 'pwdMaxFailure', 'pwdLockoutDuration', 'pwdFailureCountInterval', 'pwdCheckQuality',
];

interface OverlayConfig {
  active: boolean;
  defaultPolicy: string | null;
  hashCleartext: boolean;
}

interface LdapUser {
  name: string;
  policy: string | null;
  changed: Date | null;
  locked: Date | 'forever' | null;
}

const normalizeDn = (dn: string): string => dn.replace(/\s*,\s*/g, ',').toLowerCase();

/** A ppolicy value; absent means 0, which slapo-ppolicy defines for every one of them. */
function seconds(row: Row, attribute: string): number {
  const raw = row.get(attribute);
  return raw === undefined ? 0 : parseSeconds(attribute, raw);
}

function count(row: Row, attribute: string): number {
  const raw = row.get(attribute);
  return raw === undefined ? 0 : parseCount(attribute, raw);
}

function ppolicyEntry(row: Row, overlay: OverlayConfig, users: LdapUser[]) {
  const dn = normalizeDn(row.dn);
  const named = users.filter((u) => u.policy === dn).map((u) => u.name).sort();
  const lockout = row.get('pwdLockout') === undefined ? false : parseBoolean('pwdLockout', row.get('pwdLockout')!);
  const quality = count(row, 'pwdCheckQuality');
  if (quality > 2) throw new DecodeError('pwdCheckQuality', String(quality), '0, 1 eller 2');
  const maxAge = seconds(row, 'pwdMaxAge');
  const duration = seconds(row, 'pwdLockoutDuration');
  const interval = seconds(row, 'pwdFailureCountInterval');
  return {
    name: row.get('cn') ?? rdnValue(row.dn),
    kind: 'ppolicy' as const,
    dn: row.dn,
    isDefault: overlay.defaultPolicy !== null && normalizeDn(overlay.defaultPolicy) === dn,
    precedence: null,
    appliesTo: named.slice(0, 500),
    appliesToCount: named.length,
    minLength: count(row, 'pwdMinLength'),
    historyLength: count(row, 'pwdInHistory'),
    // Absent or 0: passwords never expire (slapo-ppolicy).
    maxAgeDays: maxAge === 0 ? null : maxAge / 86_400,
    minAgeDays: seconds(row, 'pwdMinAge') / 86_400,
    // pwdMaxFailure 0 counts failures without ever locking.
    lockoutThreshold: lockout ? count(row, 'pwdMaxFailure') : 0,
    lockoutDurationMinutes: duration === 0 ? null : duration / 60,
    lockoutWindowMinutes: interval === 0 ? null : interval / 60,
    complexity: quality === 2,
    qualityCheck: quality,
    // Without ppolicy_hash_cleartext a cleartext userPassword written by a client is stored as is.
    reversibleEncryption: !overlay.hashCleartext,
    attributes: {
      appliesTo: 'pwdPolicySubentry', minLength: 'pwdMinLength', historyLength: 'pwdInHistory', maxAgeDays: 'pwdMaxAge', minAgeDays: 'pwdMinAge',
      lockoutThreshold: 'pwdLockout, pwdMaxFailure', lockoutDurationMinutes: 'pwdLockoutDuration', lockoutWindowMinutes: 'pwdFailureCountInterval',
      complexity: 'pwdCheckQuality = 2', qualityCheck: 'pwdCheckQuality', reversibleEncryption: 'olcPPolicyHashCleartext', isDefault: 'olcPPolicyDefault',
    },
  };
}

/** Members of a group with nested groups resolved; cycles are followed once. */
export function resolveMembers(dn: string, groups: Map<string, string[]>, users: Map<string, string>, seen = new Set<string>()): Set<string> {
  const result = new Set<string>();
  if (seen.has(dn)) return result;
  seen.add(dn);
  for (const member of groups.get(dn) ?? []) {
    if (groups.has(member)) for (const name of resolveMembers(member, groups, users, seen)) result.add(name);
    else if (users.has(member)) result.add(users.get(member)!);
  }
  return result;
}

export async function collectOpenLdap(ctx: DirectoryContext): Promise<Fact[]> {
  const { reader, namingContext: nc, now } = ctx;
  const overlay = once(async (): Promise<OverlayConfig> => {
    let rows: Row[];
    try {
      rows = await reader.all('cn=config', { filter: '(objectClass=olcPPolicyConfig)', attributes: ['olcPPolicyDefault', 'olcPPolicyHashCleartext'] });
    } catch (error) {
      if (['NoSuchObjectError', 'InsufficientAccessError'].includes((error as Error).name)) {
        throw new FactError('cn=config kan inte läsas av bind-kontot; ge det läsrätt där för att se ppolicy-inställningarna (cn=config not readable)');
      }
      throw error;
    }
    for (const row of rows) {
      const database = row.dn.replace(/^[^,]+,/, '');
      const suffix = (await reader.one(database, ['olcSuffix']))?.all('olcSuffix') ?? [];
      if (!suffix.some((s) => normalizeDn(s) === normalizeDn(nc))) continue;
      const hash = row.get('olcPPolicyHashCleartext');
      return { active: true, defaultPolicy: row.get('olcPPolicyDefault') ?? null, hashCleartext: hash === undefined ? false : parseBoolean('olcPPolicyHashCleartext', hash) };
    }
    return { active: false, defaultPolicy: null, hashCleartext: false };
  });
  const users = once(async () => {
    const list: LdapUser[] = [];
    const dns: string[] = [];
    // The login name is uid; without one, the entry's RDN value (usually its cn) names it.
    await reader.each(nc, { filter: USERS, attributes: ['uid', 'pwdPolicySubentry', 'pwdChangedTime', 'createTimestamp', 'pwdAccountLockedTime'] }, (row) => {
      const name = row.get('uid') ?? rdnValue(row.dn);
      const changed = row.get('pwdChangedTime') ?? row.get('createTimestamp');
      const locked = row.get('pwdAccountLockedTime');
      const policy = row.get('pwdPolicySubentry');
      list.push({
        name: name.slice(0, 256),
        policy: policy ? normalizeDn(policy) : null,
        changed: changed ? generalizedTime(row.get('pwdChangedTime') ? 'pwdChangedTime' : 'createTimestamp', changed) : null,
        locked: locked === undefined ? null : locked === LOCKED_FOREVER ? 'forever' : generalizedTime('pwdAccountLockedTime', locked),
      });
      dns.push(row.dn);
    });
    return { list, dns };
  });
  // Only group resolution needs users by DN; most audits configure no groups.
  const usersByDn = once(async () => {
    const { list, dns } = await users();
    return new Map(dns.map((dn, i) => [normalizeDn(dn), list[i]!.name]));
  });
  const policyRows = once(() => reader.all(nc, { filter: '(objectClass=pwdPolicy)', attributes: POLICY_ATTRIBUTES }));
  const policies = once(async () => {
    const config = await overlay();
    const { list } = await users();
    return (await policyRows()).map((row) => ppolicyEntry(row, config, list)).sort((a, b) => Number(b.isDefault) - Number(a.isDefault) || a.name.localeCompare(b.name));
  });
  const groupMap = once(async () => {
    const map = new Map<string, string[]>();
    await reader.each(nc, { filter: GROUPS, attributes: ['member', 'uniqueMember'] }, (row) => {
      map.set(normalizeDn(row.dn), [...row.all('member'), ...row.all('uniqueMember')].map(normalizeDn));
    });
    return map;
  });

  const ppolicy = async () => {
    const config = await overlay();
    const { list } = await users();
    const all = await policies();
    const byDn = new Map(all.map((p) => [normalizeDn(p.dn), p]));
    const defaultPolicy = config.defaultPolicy ? byDn.get(normalizeDn(config.defaultPolicy)) : undefined;
    const withoutPolicy: string[] = [];
    const locked: string[] = [];
    const expired: string[] = [];
    let oldest: number | null = null;
    for (const user of list) {
      const policy = (user.policy ? byDn.get(user.policy) : undefined) ?? (user.policy ? undefined : defaultPolicy);
      if (!config.active || (!user.policy && !defaultPolicy)) withoutPolicy.push(user.name);
      if (user.locked === 'forever' || (user.locked && (policy?.lockoutDurationMinutes == null || now.getTime() - user.locked.getTime() < policy.lockoutDurationMinutes * 60_000))) {
        locked.push(user.name);
      }
      if (user.changed) {
        const age = daysBetween(user.changed, now);
        oldest = Math.max(oldest ?? 0, age);
        if (policy?.maxAgeDays != null && age > policy.maxAgeDays) expired.push(user.name);
      }
    }
    return {
      overlayActive: config.active,
      defaultPolicyDn: config.defaultPolicy,
      users: list.length,
      withoutPolicy: accountClass(withoutPolicy, 'varken pwdPolicySubentry eller olcPPolicyDefault'),
      locked: accountClass(locked, 'pwdAccountLockedTime'),
      passwordExpired: accountClass(expired, 'pwdChangedTime äldre än pwdMaxAge'),
      oldestPasswordDays: oldest,
      attributes: { overlayActive: 'olcOverlay=ppolicy (cn=config)', defaultPolicyDn: 'olcPPolicyDefault', withoutPolicy: 'pwdPolicySubentry', locked: 'pwdAccountLockedTime', passwordAge: 'pwdChangedTime (else createTimestamp)' },
    };
  };

  const accounts = async () => {
    const { list } = await users();
    const lockedCount = list.filter((u) => u.locked !== null).length;
    return {
      total: list.length,
      enabled: list.length - lockedCount,
      inactiveThresholdDays: ctx.entry.inactiveDays,
      inactive: null,
      passwordNeverExpires: null,
      passwordNotRequired: null,
      reversibleEncryption: null,
      kerberosPreauthNotRequired: null,
      attributes: { filter: USERS, enabled: 'pwdAccountLockedTime' },
    };
  };

  const countMembers = async (dn: string) => {
    const groups = await groupMap();
    const byDn = await usersByDn();
    return groups.has(normalizeDn(dn)) ? [...resolveMembers(normalizeDn(dn), groups, byDn)].sort() : null;
  };

  const privileged = async () => {
    const { list } = await users();
    const byName = new Map(list.map((u) => [u.name, u]));
    const config = await overlay().catch(() => null);
    const all = config ? await policies() : [];
    const defaultName = all.find((p) => p.isDefault)?.name ?? null;
    const groups = [];
    const distinct = new Set<string>();
    for (const dn of ctx.entry.privilegedGroups) {
      const members = await countMembers(dn);
      for (const m of members ?? []) distinct.add(m);
      groups.push({ name: rdnValue(dn), id: dn, found: members !== null, memberCount: members?.length ?? 0, members: (members ?? []).slice(0, 1000) });
    }
    const accounts = [...distinct].sort().slice(0, 1000).map((name) => {
      const user = byName.get(name);
      const own = user?.policy ? all.find((p) => normalizeDn(p.dn) === user.policy)?.name : undefined;
      return {
        name,
        enabled: user?.locked == null,
        inactive: false,
        passwordAgeDays: user?.changed ? daysBetween(user.changed, now) : null,
        policy: own ?? (user?.policy ? null : defaultName),
      };
    });
    return { groups, distinctCount: distinct.size, accounts, attributes: { members: 'member, uniqueMember (rekursivt)', passwordAgeDays: 'pwdChangedTime', policy: 'pwdPolicySubentry, olcPPolicyDefault', enabled: 'pwdAccountLockedTime' } };
  };

  const memberAttribute = 'member, uniqueMember (rekursivt)';
  const identityGroups = once(() => resolveGroups(ctx, countMembers));

  const facts: Fact[] = [];
  facts.push(await collectFact(ctx, 'passwordPolicies', '(objectClass=pwdPolicy) + cn=config olcPPolicyDefault', async () => ({ policies: await policies(), fineGrainedReadable: true })));
  facts.push(await collectFact(ctx, 'accounts', `${USERS} pwdAccountLockedTime`, accounts));
  facts.push(await collectFact(ctx, 'privilegedAccounts', 'member, uniqueMember, pwdChangedTime', privileged));
  facts.push(await collectFact(ctx, 'ppolicy', 'cn=config olcPPolicyConfig + pwdPolicySubentry, pwdChangedTime, pwdAccountLockedTime', ppolicy));
  facts.push(await collectFact(ctx, 'groups', 'member, uniqueMember', async () => groupsValue(await identityGroups(), memberAttribute)));
  // Only an administrative lock (pwdAccountLockedTime 000001010000Z) disables an account; a
  // lockout after failed logons is temporary and the account is still in use.
  facts.push(await collectFact(ctx, 'enabledAccounts', `${USERS} uid, pwdAccountLockedTime`, async () => enabledAccountsValue((await users()).list.filter((u) => u.locked !== 'forever').map((u) => u.name), { accounts: 'uid', enabled: `pwdAccountLockedTime inte ${LOCKED_FOREVER}` })));
  facts.push(await collectFact(ctx, 'groupMembers', 'member, uniqueMember → uid', async () => groupMembersValue(await identityGroups(), memberAttribute)));
  facts.push(unsupported(ctx, 'krbtgt', 'krbtgt finns bara i Active Directory (AD only)'));
  facts.push(unsupported(ctx, 'computers', 'datorkonton läses bara från Active Directory (AD only)'));
  facts.unshift(
    await collectFact(ctx, 'domain', 'rootDSE namingContexts, vendorName, vendorVersion', async () => ({
      kind: 'openldap' as const,
      namingContext: nc,
      dnsName: dnsNameOf(nc),
      vendor: [ctx.rootDse.get('vendorName'), ctx.rootDse.get('vendorVersion')].filter(Boolean).join(' ').slice(0, 256) || null,
      functionalLevel: null,
      bind: ctx.bind,
      referrals: [...reader.referrals],
      attributes: { namingContext: 'namingContexts', vendor: 'vendorName, vendorVersion' },
    })),
  );
  return facts;
}
