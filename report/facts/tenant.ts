import { z } from 'zod';
import { shortText } from '../common.js';
import type { FactSpecs } from './spec.js';

/**
 * Facts of the tenant target. No agent reports these: the collector derives them from the
 * latest facts of all the tenant's targets (rules/tenant-facts/), and ingest refuses a
 * report that carries a tenant target.
 */

const count = z.number().int().nonnegative();
const percent = z.number().min(0).max(100).nullable();
const names = z.array(shortText).max(100);
/** Why a count is incomplete (a group not found, a system without user groups, no directory data). Empty when complete. */
const incomplete = z.array(z.string().max(1000)).max(200);

const ssoSystem = z.strictObject({
  id: shortText,
  name: shortText,
  /** Declared in the register: saml, oidc, kerberos or none. */
  declared: shortText,
  /** What the web probe saw on the login page: redirect to the declared IdP, something else, or not probed. */
  observed: z.enum(['confirmed', 'contradicted', 'not-probed']),
  /** Counted as SSO: declared, and not contradicted by the login page. */
  sso: z.boolean(),
  /** Distinct users (members of the system's user groups); null when not known. */
  users: count.nullable(),
});

const mfaSystem = z.strictObject({
  id: shortText,
  name: shortText,
  confidentiality: z.number().int().min(0).max(4).nullable(),
  sensitive: z.boolean(),
  mfaRequired: z.boolean(),
  users: count.nullable(),
  /** Users of the system outside every MFA-enrolled group. */
  usersWithoutMfa: count.nullable(),
  withoutMfa: names,
});

export const tenantFacts = {
  identityCoverage: {
    description: {
      sv: 'SSO- och MFA-täckning räknad i personer: registrets system × katalogens gruppmedlemmar',
      en: 'SSO and MFA coverage counted in people: the register\'s systems × the directory\'s group members',
    },
    value: z.strictObject({
      sso: z.strictObject({
        /** Distinct users of business systems counted as SSO. */
        numerator: count,
        /** Distinct users of all business systems. */
        denominator: count,
        percent,
        systems: z.array(ssoSystem).max(2000),
        incomplete,
      }),
      mfa: z.strictObject({
        /** Confidentiality level from which a system is sensitive (KLASSA K). */
        sensitiveFrom: z.number().int().min(0).max(4),
        enrolledUsers: count,
        /** Distinct users of sensitive systems, and those of them outside every MFA group. */
        sensitiveUsers: count,
        sensitiveUsersWithoutMfa: count,
        percent,
        withoutMfa: names,
        systems: z.array(mfaSystem).max(2000),
        incomplete,
      }),
    }),
  },
  registerCoverage: {
    description: {
      sv: 'Värdar som agenterna rapporterar jämfört med systemförteckningen',
      en: 'Hosts reported by agents compared with the system register',
    },
    value: z.strictObject({
      systems: count,
      hosts: count,
      registered: count,
      unregistered: count,
      unregisteredHosts: names,
      incomplete,
      /** Systems the register marks as offering encrypted transfer (CRY-05), with TLS on their declared endpoints as the web probe saw it (null: not examined). */
      secureTransfer: z.array(z.strictObject({ id: shortText, name: shortText, endpointsTls: z.boolean().nullable() })).max(2000),
    }),
  },
} satisfies FactSpecs;
