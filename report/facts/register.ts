import { z } from 'zod';
import { shortText, text } from '../common.js';
import type { FactSpecs } from './spec.js';

/**
 * The system register entry of a `system` target, as the kommun wrote it in its register
 * (agent/register). Every field is present; what the register does not say is null, so a
 * rule can tell "not recorded" from "recorded as no". Whether an agreement has expired or a
 * review is too old is decided by the rules, not here.
 */

const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date YYYY-MM-DD');
const level = z.number().int().min(0).max(4);
const list = <T extends z.ZodType>(item: T) => z.array(item).max(100);
const person = z.strictObject({ name: shortText, role: shortText.nullable(), email: shortText.nullable() }).nullable();

export const registerEntrySchema = z.strictObject({
  id: shortText,
  name: shortText,
  category: z.enum(['business', 'remote-access', 'mail', 'directory', 'infrastructure']),
  purpose: text.nullable(),
  /** Systemägare. */
  owner: person,
  /** Systemförvaltare. */
  administrator: person,
  /** K/R/T 0–4 as in SKR's KLASSA. */
  classification: z.strictObject({ confidentiality: level, integrity: level, availability: level, assessedAt: date.nullable() }).nullable(),
  businessCritical: z.boolean().nullable(),
  personalData: z.boolean().nullable(),
  sensitive: z.boolean().nullable(),
  operatingAgreement: z.strictObject({ reference: shortText, supplier: shortText.nullable(), validUntil: date.nullable() }).nullable(),
  securityPlan: z.strictObject({ reviewedAt: date, reference: shortText.nullable() }).nullable(),
  /** Driftgodkännande. */
  operatingApproval: z.strictObject({ approvedAt: date, approvedBy: shortText.nullable() }).nullable(),
  authentication: z
    .strictObject({
      /** saml, oidc and kerberos are single sign-on; ldap is a password checked against the directory; none is local accounts. */
      sso: z.enum(['saml', 'oidc', 'kerberos', 'ldap', 'none']),
      /** The register's identity provider for saml and oidc, resolved. */
      identityProvider: z.strictObject({ id: shortText, protocol: z.enum(['saml', 'oidc']), url: text }).nullable(),
      mfaRequired: z.boolean().nullable(),
    })
    .nullable(),
  /** Directory groups (DNs) whose members use the system. */
  userGroups: list(text),
  loginUrl: text.nullable(),
  auditLogging: z.strictObject({ enabled: z.boolean(), destination: shortText.nullable() }).nullable(),
  lastAccessReview: date.nullable(),
  backup: z.strictObject({ lastRestoreTest: date.nullable(), offlineCopy: z.boolean().nullable() }).nullable(),
  remoteAccess: z.strictObject({ allowed: z.boolean(), via: z.enum(['vpn', 'gateway', 'internet']).nullable() }).nullable(),
  /** Offers encrypted transfer (secure mail, SFTP). Optional: agents before this field do not send it. */
  secureTransfer: z.boolean().nullable().optional(),
  /** Host names this entry covers, as agents report them. */
  hosts: list(shortText),
  endpoints: list(z.strictObject({ protocol: z.enum(['ldap', 'ldaps', 'smtp', 'smtps', 'https']), host: shortText, port: z.number().int().min(1).max(65535) })),
});

export type RegisterEntry = z.infer<typeof registerEntrySchema>;

export const registerFacts = {
  register: {
    description: {
      sv: 'Systemets uppgifter i kommunens systemförteckning: ägare, förvaltare, klassning (K/R/T), driftavtal, säkerhetsplan, driftgodkännande, inloggning, loggning, behörighetsgenomgång och återläsningstest',
      en: "The system's entry in the kommun's system register: owner, administrator, classification (C/I/A), operating agreement, security plan, operating approval, login, audit logging, access review and restore test",
    },
    value: registerEntrySchema,
  },
} satisfies FactSpecs;
