import type { Fact } from '../../../report/schema.js';
import { FactError } from '../fact.js';
import { adPasswordPolicies, DOMAIN_POLICY_ATTRIBUTES, domainPolicyName } from './ad-policy.js';
import { accountClass, collectFact, dnsNameOf, enabledAccountsValue, once, required, unsupported, type DirectoryContext } from './context.js';
import { daysBetween, fileTime, generalizedTime, parseInteger, rdnValue, sidToString } from './decode.js';
import { groupMembersValue, groupsValue, resolveGroups } from './identity-groups.js';
import { escapeFilter, type Row } from './search.js';

// userAccountControl flags (BITS.md §4, ADS_USER_FLAG_ENUM).
const UAC = {
  disabled: 0x2n,
  passwordNotRequired: 0x20n,
  reversibleEncryption: 0x80n,
  serverTrust: 0x2000n,
  dontExpirePassword: 0x10000n,
  dontRequirePreauth: 0x400000n,
} as const;

const IN_CHAIN = '1.2.840.113556.1.4.1941';
const USERS = '(&(objectCategory=person)(objectClass=user))';

/** The privileged groups of ACC-08, by well-known SID; `domain` ones are relative to the domain SID. */
const PRIVILEGED_GROUPS: { name: string; sid: string; domain: boolean }[] = [
  { name: 'Domain Admins', sid: '512', domain: true },
  { name: 'Enterprise Admins', sid: '519', domain: true },
  { name: 'Schema Admins', sid: '518', domain: true },
  { name: 'Administrators', sid: 'S-1-5-32-544', domain: false },
  { name: 'Account Operators', sid: 'S-1-5-32-548', domain: false },
  { name: 'Backup Operators', sid: 'S-1-5-32-551', domain: false },
  { name: 'Server Operators', sid: 'S-1-5-32-549', domain: false },
];

interface AdAccount {
  name: string;
  uac: bigint;
  enabled: boolean;
  lastLogon: Date | null;
  created: Date;
  pwdLastSet: Date | null;
}

const ACCOUNT_ATTRIBUTES = ['sAMAccountName', 'userAccountControl', 'lastLogonTimestamp', 'whenCreated', 'pwdLastSet'];

function readAccount(row: Row): AdAccount {
  const uac = parseInteger('userAccountControl', required(row, 'userAccountControl'));
  const lastLogonRaw = row.get('lastLogonTimestamp');
  const pwdLastSetRaw = row.get('pwdLastSet');
  return {
    name: required(row, 'sAMAccountName'),
    uac,
    enabled: (uac & UAC.disabled) === 0n,
    lastLogon: lastLogonRaw === undefined ? null : fileTime('lastLogonTimestamp', lastLogonRaw),
    created: generalizedTime('whenCreated', required(row, 'whenCreated')),
    pwdLastSet: pwdLastSetRaw === undefined ? null : fileTime('pwdLastSet', pwdLastSetRaw),
  };
}

/** Enabled, and neither a logon nor (for never-used accounts) its creation within the limit. */
function isInactive(account: AdAccount, now: Date, days: number): boolean {
  if (!account.enabled) return false;
  return daysBetween(account.lastLogon ?? account.created, now) > days;
}

export async function collectAd(ctx: DirectoryContext): Promise<Fact[]> {
  const { reader, namingContext: nc, now, entry } = ctx;
  const head = once(async () => {
    const row = await reader.one(nc, DOMAIN_POLICY_ATTRIBUTES, ['objectSid']);
    if (!row) throw new FactError(`domänhuvudet ${nc} finns inte eller kan inte läsas (domain head not found)`);
    return row;
  });
  const domainSid = once(async () => {
    const buffer = (await head()).buffer('objectSid');
    const sid = buffer ? sidToString(buffer) : null;
    if (!sid) throw new FactError(`objectSid saknas eller är ogiltigt på ${nc} (domain SID missing)`);
    return sid;
  });
  const policies = once(async () => adPasswordPolicies(ctx, await head()));

  // One search of the users feeds both `accounts` and `enabledAccounts`.
  const users = once(async () => {
    let total = 0;
    const enabledNames: string[] = [];
    const classes = { inactive: [] as string[], neverExpires: [] as string[], notRequired: [] as string[], reversible: [] as string[], noPreauth: [] as string[] };
    await reader.each(nc, { filter: USERS, attributes: ACCOUNT_ATTRIBUTES }, (row) => {
      const a = readAccount(row);
      total++;
      if (!a.enabled) return;
      enabledNames.push(a.name);
      if (isInactive(a, now, entry.inactiveDays)) classes.inactive.push(a.name);
      if (a.uac & UAC.dontExpirePassword) classes.neverExpires.push(a.name);
      if (a.uac & UAC.passwordNotRequired) classes.notRequired.push(a.name);
      if (a.uac & UAC.reversibleEncryption) classes.reversible.push(a.name);
      if (a.uac & UAC.dontRequirePreauth) classes.noPreauth.push(a.name);
    });
    return { total, enabledNames, classes };
  });

  const accounts = async () => {
    const { total, enabledNames, classes } = await users();
    return {
      total,
      enabled: enabledNames.length,
      inactiveThresholdDays: entry.inactiveDays,
      inactive: accountClass(classes.inactive, `lastLogonTimestamp (eller whenCreated) äldre än ${entry.inactiveDays} d`),
      passwordNeverExpires: accountClass(classes.neverExpires, 'userAccountControl & 0x10000'),
      passwordNotRequired: accountClass(classes.notRequired, 'userAccountControl & 0x20'),
      reversibleEncryption: accountClass(classes.reversible, 'userAccountControl & 0x80'),
      kerberosPreauthNotRequired: accountClass(classes.noPreauth, 'userAccountControl & 0x400000'),
      attributes: { enabled: 'userAccountControl & 0x2', inactive: 'lastLogonTimestamp, whenCreated', filter: USERS },
    };
  };

  const privileged = async () => {
    const domain = await domainSid();
    const defaultPolicy = domainPolicyName(ctx);
    const wanted = PRIVILEGED_GROUPS.map((g) => ({ ...g, sid: g.domain ? `${domain}-${g.sid}` : g.sid }));
    const filter = `(&(objectClass=group)(|${wanted.map((g) => `(objectSid=${g.sid})`).join('')}))`;
    const found = new Map<string, Row>();
    await reader.each(nc, { filter, attributes: ['sAMAccountName', 'objectSid'], buffers: ['objectSid'] }, (row) => {
      const sid = row.buffer('objectSid');
      if (sid) found.set(sidToString(sid) ?? '', row);
    });
    const extra = entry.privilegedGroups.map((dn) => ({ name: rdnValue(dn), sid: dn, dn }));
    const accounts = new Map<string, AdAccount>();
    const groups = [];
    for (const group of [...wanted.map((g) => ({ name: g.name, sid: g.sid, dn: found.get(g.sid)?.dn })), ...extra]) {
      if (!group.dn) {
        groups.push({ name: group.name, id: group.sid, found: false, memberCount: 0, members: [] });
        continue;
      }
      const members: string[] = [];
      await reader.each(nc, { filter: `(&${USERS}(memberOf:${IN_CHAIN}:=${escapeFilter(group.dn)}))`, attributes: ACCOUNT_ATTRIBUTES }, (row) => {
        const account = readAccount(row);
        members.push(account.name);
        accounts.set(account.name, account);
      });
      members.sort();
      groups.push({ name: found.get(group.sid)?.get('sAMAccountName') ?? group.name, id: group.sid, found: true, memberCount: members.length, members: members.slice(0, 1000) });
    }
    const rows = [];
    for (const account of [...accounts.values()].sort((a, b) => a.name.localeCompare(b.name)).slice(0, 1000)) {
      // msDS-ResultantPSO is constructed: AD computes it only when asked for one account at a time.
      const resultant = (await reader.all(nc, { filter: `(&${USERS}(sAMAccountName=${escapeFilter(account.name)}))`, attributes: ['msDS-ResultantPSO'] }))[0]?.get('msDS-ResultantPSO');
      rows.push({
        name: account.name,
        enabled: account.enabled,
        inactive: isInactive(account, now, entry.inactiveDays),
        passwordAgeDays: account.pwdLastSet ? daysBetween(account.pwdLastSet, now) : null,
        policy: resultant ? rdnValue(resultant) : defaultPolicy,
      });
    }
    return {
      groups,
      distinctCount: accounts.size,
      accounts: rows,
      attributes: { members: `memberOf:${IN_CHAIN}: (rekursivt)`, enabled: 'userAccountControl & 0x2', inactive: 'lastLogonTimestamp, whenCreated', passwordAgeDays: 'pwdLastSet', policy: 'msDS-ResultantPSO' },
    };
  };

  const krbtgt = async () => {
    const row = (await reader.all(nc, { filter: '(&(objectClass=user)(sAMAccountName=krbtgt))', attributes: ['pwdLastSet'] }))[0];
    if (!row) throw new FactError('kontot krbtgt hittades inte (krbtgt not found)');
    const set = fileTime('pwdLastSet', required(row, 'pwdLastSet'));
    return { passwordLastSet: set?.toISOString() ?? null, passwordAgeDays: set ? daysBetween(set, now) : null, attributes: { passwordLastSet: 'pwdLastSet' } };
  };

  const computers = async () => {
    const schemaNc = ctx.rootDse.get('schemaNamingContext');
    const lapsAttributes = new Set<string>();
    if (schemaNc) {
      await reader.each(schemaNc, { filter: '(|(lDAPDisplayName=ms-Mcs-AdmPwdExpirationTime)(lDAPDisplayName=msLAPS-PasswordExpirationTime))', attributes: ['lDAPDisplayName'], scope: 'one' }, (row) => {
        const name = row.get('lDAPDisplayName');
        if (name) lapsAttributes.add(name.toLowerCase());
      });
    }
    const legacy = lapsAttributes.has('ms-mcs-admpwdexpirationtime');
    const windows = lapsAttributes.has('mslaps-passwordexpirationtime');
    let total = 0;
    let enabled = 0;
    let eligible = 0;
    const stale: string[] = [];
    const missingLaps: string[] = [];
    const systems = new Map<string, { name: string; version: string | null; count: number; computers: string[] }>();
    await reader.each(
      nc,
      { filter: '(objectCategory=computer)', attributes: ['sAMAccountName', 'userAccountControl', 'lastLogonTimestamp', 'whenCreated', 'operatingSystem', 'operatingSystemVersion', 'ms-Mcs-AdmPwdExpirationTime', 'msLAPS-PasswordExpirationTime'] },
      (row) => {
        const uac = parseInteger('userAccountControl', required(row, 'userAccountControl'));
        const name = required(row, 'sAMAccountName').replace(/\$$/, '');
        total++;
        if (uac & UAC.disabled) return;
        enabled++;
        const lastLogonRaw = row.get('lastLogonTimestamp');
        const lastLogon = lastLogonRaw === undefined ? null : fileTime('lastLogonTimestamp', lastLogonRaw);
        const created = generalizedTime('whenCreated', required(row, 'whenCreated'));
        if (daysBetween(lastLogon ?? created, now) > entry.staleComputerDays) stale.push(name);
        if (!(uac & UAC.serverTrust)) {
          eligible++;
          if (row.get('ms-Mcs-AdmPwdExpirationTime') === undefined && row.get('msLAPS-PasswordExpirationTime') === undefined) missingLaps.push(name);
        }
        const os = row.get('operatingSystem');
        if (os) {
          const version = row.get('operatingSystemVersion') ?? null;
          const key = `${os}\u0000${version ?? ''}`;
          const bucket = systems.get(key) ?? { name: os.slice(0, 256), version: version?.slice(0, 256) ?? null, count: 0, computers: [] };
          bucket.count++;
          if (bucket.computers.length < 500) bucket.computers.push(name);
          systems.set(key, bucket);
        }
      },
    );
    return {
      total,
      enabled,
      staleThresholdDays: entry.staleComputerDays,
      stale: accountClass(stale, `lastLogonTimestamp (eller whenCreated) äldre än ${entry.staleComputerDays} d`),
      laps: {
        schema: legacy && windows ? ('both' as const) : legacy ? ('legacy' as const) : windows ? ('windows' as const) : ('none' as const),
        eligible,
        covered: eligible - missingLaps.length,
        missing: accountClass(missingLaps, 'ms-Mcs-AdmPwdExpirationTime / msLAPS-PasswordExpirationTime saknas'),
      },
      operatingSystems: [...systems.values()].sort((a, b) => a.name.localeCompare(b.name) || (a.version ?? '').localeCompare(b.version ?? '')).slice(0, 500).map((s) => ({ ...s, computers: s.computers.sort() })),
      attributes: { enabled: 'userAccountControl & 0x2', stale: 'lastLogonTimestamp, whenCreated', dc: 'userAccountControl & 0x2000', laps: 'ms-Mcs-AdmPwdExpirationTime, msLAPS-PasswordExpirationTime', operatingSystems: 'operatingSystem, operatingSystemVersion' },
    };
  };

  const memberAttribute = `memberOf:${IN_CHAIN}: (rekursivt)`;
  const identityGroups = once(() =>
    resolveGroups(ctx, async (dn) => {
      if (!(await reader.one(dn, ['objectClass']))) return null;
      const names: string[] = [];
      await reader.each(nc, { filter: `(&${USERS}(memberOf:${IN_CHAIN}:=${escapeFilter(dn)}))`, attributes: ['sAMAccountName'] }, (row) => {
        names.push(required(row, 'sAMAccountName'));
      });
      return names;
    }),
  );

  const facts: Fact[] = [];
  facts.push(await collectFact(ctx, 'passwordPolicies', `${nc} (minPwdLength, maxPwdAge, pwdProperties, …) + msDS-PasswordSettings`, policies));
  facts.push(await collectFact(ctx, 'accounts', `${USERS} userAccountControl, lastLogonTimestamp, whenCreated`, accounts));
  facts.push(await collectFact(ctx, 'privilegedAccounts', `objectSid + memberOf:${IN_CHAIN}:, pwdLastSet, msDS-ResultantPSO`, privileged));
  facts.push(await collectFact(ctx, 'krbtgt', '(sAMAccountName=krbtgt) pwdLastSet', krbtgt));
  facts.push(await collectFact(ctx, 'computers', '(objectCategory=computer) userAccountControl, lastLogonTimestamp, operatingSystem, LAPS', computers));
  facts.push(await collectFact(ctx, 'groups', `memberOf:${IN_CHAIN}:`, async () => groupsValue(await identityGroups(), memberAttribute)));
  facts.push(await collectFact(ctx, 'enabledAccounts', `${USERS} sAMAccountName, userAccountControl`, async () => enabledAccountsValue((await users()).enabledNames, { accounts: 'sAMAccountName', enabled: 'userAccountControl & 0x2 = 0' })));
  facts.push(await collectFact(ctx, 'groupMembers', `memberOf:${IN_CHAIN}: sAMAccountName`, async () => groupMembersValue(await identityGroups(), memberAttribute)));
  facts.push(unsupported(ctx, 'ppolicy', 'ppolicy finns bara i OpenLDAP (OpenLDAP only)'));
  // Last, so that it lists the referrals every other search met.
  facts.unshift(
    await collectFact(ctx, 'domain', 'rootDSE + msDS-Behavior-Version', async () => {
      const behaviour = (await head()).get('msDS-Behavior-Version');
      return {
        kind: 'ad' as const,
        namingContext: nc,
        dnsName: dnsNameOf(nc),
        vendor: ctx.rootDse.get('vendorName')?.slice(0, 256) ?? null,
        functionalLevel: behaviour === undefined ? null : Number(parseInteger('msDS-Behavior-Version', behaviour)),
        bind: ctx.bind,
        referrals: [...reader.referrals],
        attributes: { namingContext: 'defaultNamingContext', vendor: 'vendorName', functionalLevel: 'msDS-Behavior-Version', dnsName: 'defaultNamingContext (DC=…)' },
      };
    }),
  );
  return facts;
}
