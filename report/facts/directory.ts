import { z } from 'zod';
import { nullableText, shortText, timestamp } from '../common.js';
import type { FactSpecs } from './spec.js';

/**
 * Facts an agent reports about a directory: an Active Directory domain or an OpenLDAP
 * server. Accounts are named only by their login name (sAMAccountName or uid) and only
 * where a rule needs to name them; everything else about people is counted.
 */

/** At most this many names in one list; the count beside it is always the full number. */
export const MAX_LISTED_ACCOUNTS = 5000;

const count = z.number().int().nonnegative();
/** Matches the probe's default bound on entries read per search. */
export const MAX_GROUP_MEMBERS = 500_000;
/** A register of 2000 systems with a few user groups each. */
export const MAX_IDENTITY_GROUPS = 10_000;
const days = z.number().nonnegative();
const names = z.array(shortText).max(MAX_LISTED_ACCOUNTS);

/** Which LDAP attribute each value came from, e.g. `{ minLength: "minPwdLength" }`. */
const attributeMap = z
  .record(z.string().max(64), shortText)
  .refine((map) => Object.keys(map).length <= 40, 'at most 40 attributes');

/** A class of accounts: how many, their login names (capped), and what marks them. */
export const accountClass = z.strictObject({
  count,
  accounts: names,
  /** The attribute or filter that puts an account in this class, e.g. `userAccountControl & 0x10000`. */
  attribute: shortText,
});

const passwordPolicy = z.strictObject({
  name: shortText,
  /** domain: the AD domain head; pso: an msDS-PasswordSettings object; ppolicy: an OpenLDAP pwdPolicy entry. */
  kind: z.enum(['domain', 'pso', 'ppolicy']),
  dn: shortText,
  /** Applies to everyone without a policy of their own (the domain head, or OpenLDAP's ppolicy_default). */
  isDefault: z.boolean(),
  /** PSO precedence; lower wins. Null for the others. */
  precedence: z.number().int().nullable(),
  /** PSO: the users and groups it is linked to (msDS-PSOAppliesTo, by name); ppolicy: users naming it in pwdPolicySubentry. */
  appliesTo: z.array(shortText).max(500),
  appliesToCount: count,
  minLength: count,
  historyLength: count,
  /** Null: passwords never expire. */
  maxAgeDays: days.nullable(),
  minAgeDays: days,
  /** 0: accounts are never locked out. */
  lockoutThreshold: count,
  /** Null: a locked account stays locked until an administrator unlocks it. */
  lockoutDurationMinutes: z.number().nonnegative().nullable(),
  /** Null: failed attempts are never forgotten (OpenLDAP pwdFailureCountInterval 0). */
  lockoutWindowMinutes: z.number().nonnegative().nullable(),
  /** AD complexity (pwdProperties 0x1, msDS-PasswordComplexityEnabled); OpenLDAP pwdCheckQuality = 2. */
  complexity: z.boolean(),
  /** OpenLDAP pwdCheckQuality (0, 1, 2); null in AD. */
  qualityCheck: z.number().int().min(0).max(2).nullable(),
  /** Passwords stored with reversible encryption (pwdProperties 0x10, msDS-PasswordReversibleEncryptionEnabled). */
  reversibleEncryption: z.boolean(),
  attributes: attributeMap,
});

/** A group named in the agent's settings (or the system register) for an identity goal. */
const identityGroup = {
  purpose: z.enum(['sso', 'mfa', 'networkLogin', 'system']),
  /** The business system's name for purpose system; otherwise the purpose. */
  name: shortText,
  dn: shortText,
  found: z.boolean(),
};

export const directoryFacts = {
  domain: {
    description: { sv: 'Katalogtjänsten och hur agenten anslöt', en: 'The directory and how the agent connected' },
    value: z.strictObject({
      kind: z.enum(['ad', 'openldap']),
      /** The naming context audited (defaultNamingContext, namingContexts or the configured base). */
      namingContext: shortText,
      dnsName: nullableText,
      /** rootDSE vendorName / vendorVersion, or the OpenLDAP monitor/slapd version when readable. */
      vendor: nullableText,
      /** AD domain functional level (msDS-Behavior-Version on the domain head). */
      functionalLevel: z.number().int().nullable(),
      /** ldaps, starttls, or plain (no encryption: the password crossed the network in clear). */
      bind: z.enum(['ldaps', 'starttls', 'plain']),
      /** Search continuation references the server returned; basvakt does not follow them. */
      referrals: z.array(shortText).max(100),
      attributes: attributeMap,
    }),
  },
  passwordPolicies: {
    description: { sv: 'Lösenordspolicyer: standardpolicyn och finkorniga policyer', en: 'Password policies: the default and the fine-grained ones' },
    value: z.strictObject({
      policies: z.array(passwordPolicy).max(200),
      /** False when the agent could not read fine-grained policies (AD: the Password Settings Container); then none listed is not proof of none. */
      fineGrainedReadable: z.boolean(),
    }),
  },
  accounts: {
    description: { sv: 'Användarkonton: antal och konton med brister', en: 'User accounts: counts and accounts with weaknesses' },
    value: z.strictObject({
      total: count,
      enabled: count,
      /** Days without a logon after which an enabled account counts as inactive (agent setting, never below 30 because of the lastLogonTimestamp lag). */
      inactiveThresholdDays: z.number().int().min(30),
      /** Null where the directory has no such notion or it cannot be read (OpenLDAP). */
      inactive: accountClass.nullable(),
      passwordNeverExpires: accountClass.nullable(),
      passwordNotRequired: accountClass.nullable(),
      reversibleEncryption: accountClass.nullable(),
      kerberosPreauthNotRequired: accountClass.nullable(),
      attributes: attributeMap,
    }),
  },
  privilegedAccounts: {
    description: { sv: 'Privilegierade grupper och deras medlemmar (rekursivt)', en: 'Privileged groups and their members (recursive)' },
    value: z.strictObject({
      groups: z
        .array(
          z.strictObject({
            name: shortText,
            /** Well-known SID (S-1-5-32-544, <domain>-512, …) or the configured DN for OpenLDAP. */
            id: shortText,
            found: z.boolean(),
            /** User accounts in the group, nested groups resolved. */
            memberCount: count,
            members: z.array(shortText).max(1000),
          }),
        )
        .max(32),
      /** Distinct user accounts in any privileged group. */
      distinctCount: count,
      accounts: z
        .array(
          z.strictObject({
            name: shortText,
            enabled: z.boolean(),
            /** Enabled but without a logon for longer than the inactive threshold. */
            inactive: z.boolean(),
            passwordAgeDays: days.nullable(),
            /** The password policy in effect (msDS-ResultantPSO, else the default policy's name). */
            policy: nullableText,
          }),
        )
        .max(1000),
      attributes: attributeMap,
    }),
  },
  krbtgt: {
    description: { sv: 'Lösenordsålder för krbtgt-kontot', en: 'Password age of the krbtgt account' },
    value: z.strictObject({
      passwordLastSet: timestamp.nullable(),
      passwordAgeDays: days.nullable(),
      attributes: attributeMap,
    }),
  },
  computers: {
    description: { sv: 'Datorkonton: inaktiva, operativsystem och LAPS', en: 'Computer accounts: stale, operating systems and LAPS' },
    value: z.strictObject({
      total: count,
      enabled: count,
      staleThresholdDays: z.number().int().min(30),
      stale: accountClass,
      laps: z.strictObject({
        /** Which LAPS the schema knows: legacy (ms-Mcs-AdmPwd…), windows (msLAPS-…), both, none. */
        schema: z.enum(['legacy', 'windows', 'both', 'none']),
        /** Enabled computers that are not domain controllers. */
        eligible: count,
        covered: count,
        missing: accountClass,
      }),
      operatingSystems: z
        .array(z.strictObject({ name: shortText, version: nullableText, count, computers: z.array(shortText).max(500) }))
        .max(500),
      attributes: attributeMap,
    }),
  },
  groups: {
    description: { sv: 'Grupper för identitetsmålen (SSO, MFA, inloggning, verksamhetssystem)', en: 'Groups for the identity goals (SSO, MFA, login, business systems)' },
    value: z.strictObject({
      groups: z
        .array(
          z.strictObject({
            ...identityGroup,
            /** User members, nested groups resolved; null when the group was not found. */
            memberCount: count.nullable(),
          }),
        )
        .max(MAX_IDENTITY_GROUPS),
      attributes: attributeMap,
    }),
  },
  groupMembers: {
    description: {
      sv: 'Medlemmarna i grupperna för identitetsmålen, så att täckning räknas i personer',
      en: 'The members of the identity-goal groups, so that coverage is counted in people',
    },
    value: z.strictObject({
      /** Distinct account names of all members, sorted; groups refer to them by position. */
      accounts: z.array(shortText).max(MAX_GROUP_MEMBERS),
      groups: z
        .array(
          z.strictObject({
            ...identityGroup,
            /** Positions in `accounts`. */
            members: z.array(count).max(MAX_GROUP_MEMBERS),
          }),
        )
        .max(MAX_IDENTITY_GROUPS),
      attributes: attributeMap,
    }).superRefine((value, ctx) => {
      value.groups.forEach((group, g) => {
        const i = group.members.findIndex((m) => m >= value.accounts.length);
        if (i >= 0) ctx.addIssue({ code: 'custom', path: ['groups', g, 'members', i], message: `position ${group.members[i]} finns inte i accounts (${value.accounts.length} konton) (no such account)` });
      });
    }),
  },
  enabledAccounts: {
    description: {
      sv: 'Inloggningsnamnen på alla aktiva användarkonton, så att gemensamma konton kan hittas',
      en: 'The login names of every enabled user account, so that shared accounts can be found',
    },
    value: z.strictObject({
      /** Every enabled user account. */
      count,
      /** Their login names, sorted; all of them unless there are more than MAX_GROUP_MEMBERS. */
      accounts: z.array(shortText).max(MAX_GROUP_MEMBERS),
      /** The attribute the names come from (accounts) and what makes an account enabled (enabled). */
      attributes: attributeMap,
    }),
  },
  ppolicy: {
    description: { sv: 'OpenLDAP ppolicy: overlay, standardpolicy, låsta konton', en: 'OpenLDAP ppolicy: overlay, default policy, locked accounts' },
    value: z.strictObject({
      overlayActive: z.boolean(),
      /** olcPPolicyDefault; null: users without pwdPolicySubentry have no policy at all. */
      defaultPolicyDn: nullableText,
      users: count,
      /** Users with neither their own pwdPolicySubentry nor a default policy. */
      withoutPolicy: accountClass,
      /** pwdAccountLockedTime set. */
      locked: accountClass,
      /** pwdChangedTime older than the effective policy's pwdMaxAge. */
      passwordExpired: accountClass,
      /** Age of the oldest password (pwdChangedTime, else createTimestamp). */
      oldestPasswordDays: days.nullable(),
      attributes: attributeMap,
    }),
  },
} satisfies FactSpecs;

export type PasswordPolicyValue = z.infer<typeof passwordPolicy>;
