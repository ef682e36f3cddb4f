import { z } from 'zod';

/**
 * The system register (systemförteckning) a kommun keeps: every IT system with its owner,
 * classification, operating agreement, authentication and the dates of its reviews. Fields
 * a kommun may not know yet are optional; the rules treat a missing value as a failure (or
 * as unknown where it decides whether a rule applies), never as a pass.
 */

export const SYSTEM_CATEGORIES = ['business', 'remote-access', 'mail', 'directory', 'infrastructure'] as const;
/** How users log in: SAML or OIDC through an identity provider, Kerberos, a password checked against the directory (LDAP bind), or local accounts. */
export const LOGIN_METHODS = ['saml', 'oidc', 'kerberos', 'ldap', 'none'] as const;
/** The login methods that are single sign-on (SSO goal). */
export const SSO_METHODS = ['saml', 'oidc', 'kerberos'] as const;
export const IDP_PROTOCOLS = ['saml', 'oidc'] as const;
/** How a system is reached from outside: through the VPN, through a gateway (RD Gateway, Citrix), or published on the internet. */
export const REMOTE_ACCESS_ROUTES = ['vpn', 'gateway', 'internet'] as const;
export const ENDPOINT_PROTOCOLS = ['ldap', 'ldaps', 'smtp', 'smtps', 'https'] as const;
export const DEFAULT_PORTS: Record<(typeof ENDPOINT_PROTOCOLS)[number], number> = { ldap: 389, ldaps: 636, smtp: 25, smtps: 465, https: 443 };

export const MAX_SYSTEMS = 2000;
const MAX_LIST = 100;

export const ID_PATTERN = /^[a-z0-9][a-z0-9-]{0,62}$/;
const ID_HINT = 'små bokstäver a–z, siffror och bindestreck, t.ex. procapita (lowercase a–z, digits and hyphens)';

const text = (max = 256) => z.string().trim().min(1).max(max);
const id = z.string().regex(ID_PATTERN, ID_HINT);

/** A date as YYYY-MM-DD that exists in the calendar. */
export function isRealDate(value: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) return false;
  const [, y, m, d] = match.map(Number) as [number, number, number, number];
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

const DATE_HINT = 'förväntade ett datum ÅÅÅÅ-MM-DD som finns, t.ex. 2025-03-01 (expected a real date YYYY-MM-DD)';

/** A custom type message, keeping "saknas" (required) for a missing value. */
const typeError = (expected: string) => (issue: { input?: unknown }) => (issue.input === undefined ? `saknas — ${expected}` : expected);

const date = z.string({ error: typeError(DATE_HINT) }).refine(isRealDate, { error: (issue) => `ogiltigt datum ${JSON.stringify(issue.input)} — ${DATE_HINT}`, abort: true });

/**
 * A date something happened: a review, a test, an approval. A date after `today` is a typo;
 * one day of slack, because the register is written in Swedish time and `today` is UTC.
 */
function pastDate(today: string) {
  const latest = new Date(Date.parse(today) + 86_400_000).toISOString().slice(0, 10);
  return date.refine((value) => value <= latest, {
    error: (issue) => `datumet ${String(issue.input)} ligger i framtiden — ange när det faktiskt skedde (date in the future)`,
  });
}

const DN_HINT = 'förväntade ett DN, t.ex. cn=procapita-users,ou=groups,dc=amal,dc=se (expected a distinguished name)';
const distinguishedName = z.string().trim().max(1024).regex(/^[A-Za-z][A-Za-z0-9-]*=[^,]+(,\s*[A-Za-z][A-Za-z0-9-]*=[^,]+)*$/, DN_HINT);

const HOST_PATTERN = /^(?=.{1,253}$)[A-Za-z0-9_]([A-Za-z0-9_-]{0,62})(\.[A-Za-z0-9_]([A-Za-z0-9_-]{0,62}))*\.?$|^[0-9a-fA-F:.]{2,45}$/;
const hostName = z.string().trim().regex(HOST_PATTERN, 'förväntade ett värdnamn eller en IP-adress, t.ex. procapita-app01 (expected a host name or address)');

/** An http(s) address without user name or password (they would end up in reports and logs). */
export function urlProblem(value: string): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return `ogiltig adress ${JSON.stringify(value)} — förväntade t.ex. https://procapita.amal.se/ (invalid URL)`;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return `förväntade en https://-adress, fick ${url.protocol} (expected http or https)`;
  if (url.username || url.password) return 'användarnamn eller lösenord hör inte hemma i adressen (no credentials in the URL)';
  return undefined;
}

const webAddress = z
  .string()
  .trim()
  .max(2048)
  .superRefine((value, ctx) => {
    const problem = urlProblem(value);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });

const person = z.strictObject({
  name: text(128),
  role: text(128).optional(),
  email: z.email({ error: 'förväntade en e-postadress, t.ex. anna.andersson@amal.se (expected an e-mail address)' }).max(254).optional(),
});

const level = z
  .number({ error: typeError('förväntade en nivå 0–4 enligt KLASSA (expected a level 0–4)') })
  .int('förväntade ett heltal 0–4 (expected an integer 0–4)')
  .min(0, 'lägsta nivån är 0 (the lowest level is 0)')
  .max(4, 'högsta nivån i KLASSA är 4 (the highest KLASSA level is 4)');

const list = <T extends z.ZodType>(item: T) => z.array(item).max(MAX_LIST);

export function createSystemSchema(today: string) {
  const past = pastDate(today);
  return z
    .strictObject({
      /** Stable id, used as the target id: lowercase letters, digits, hyphens. */
      id,
      name: text(),
      /** Default business: a register lists business systems first of all. */
      category: z.enum(SYSTEM_CATEGORIES).default('business'),
      purpose: text(1000).optional(),
      /** Systemägare: decides about access and the system's security. */
      owner: person.optional(),
      /** Systemförvaltare: runs the system day to day. */
      administrator: person.optional(),
      /** Confidentiality, integrity and availability (K/R/T) 0–4, as in SKR's KLASSA. */
      classification: z
        .strictObject({ confidentiality: level, integrity: level, availability: level, assessedAt: past.optional() })
        .optional(),
      businessCritical: z.boolean().optional(),
      personalData: z.boolean().optional(),
      /** Sensitive regardless of classification (2FA goal: "känsliga system"). */
      sensitive: z.boolean().optional(),
      operatingAgreement: z.strictObject({ reference: text(), supplier: text().optional(), validUntil: date.optional() }).optional(),
      securityPlan: z.strictObject({ reviewedAt: past, reference: text().optional() }).optional(),
      /** Driftgodkännande: formal approval before operation (BITS step 6). */
      operatingApproval: z.strictObject({ approvedAt: past, approvedBy: text().optional() }).optional(),
      authentication: z
        .strictObject({ sso: z.enum(LOGIN_METHODS), identityProvider: id.optional(), mfaRequired: z.boolean().optional() })
        .optional(),
      /** Directory groups whose members use the system. */
      userGroups: list(distinguishedName).optional(),
      loginUrl: webAddress.optional(),
      auditLogging: z.strictObject({ enabled: z.boolean(), destination: text().optional() }).optional(),
      lastAccessReview: past.optional(),
      backup: z.strictObject({ lastRestoreTest: past.optional(), offlineCopy: z.boolean().optional() }).optional(),
      remoteAccess: z.strictObject({ allowed: z.boolean(), via: z.enum(REMOTE_ACCESS_ROUTES).optional() }).optional(),
      /** Offers encrypted transfer of information to and from the kommun: secure mail, SFTP, a TLS file-sharing service (CRY-05). */
      secureTransfer: z.boolean().optional(),
      /** Host names (as agents report them) that this entry covers. */
      hosts: list(hostName).optional(),
      /** Service endpoints besides the login page, for TLS and STARTTLS probes. */
      endpoints: list(
        z.strictObject({
          protocol: z.enum(ENDPOINT_PROTOCOLS),
          host: hostName,
          port: z.number().int().min(1, 'port 1–65535').max(65535, 'port 1–65535').optional(),
        }),
      ).optional(),
    });
}

export function createRegisterSchema(today: string = todayUtc()) {
  return z.strictObject({
      /** The kommun's short id, as in the collector. */
      tenant: id.optional(),
      identityProviders: list(
        z.strictObject({ id, protocol: z.enum(IDP_PROTOCOLS), url: webAddress, name: text().optional() }),
      ).optional(),
      /** Directory groups whose members are enrolled in MFA. */
      mfaGroups: list(distinguishedName).optional(),
      systems: z.array(createSystemSchema(today)).max(MAX_SYSTEMS),
    });
}

export function todayUtc(now: Date = new Date()): string {
  return now.toISOString().slice(0, 10);
}

export type RegisterSchema = ReturnType<typeof createRegisterSchema>;
export type RegisterInput = z.input<RegisterSchema>;
export type Register = z.output<RegisterSchema>;
export type SystemEntry = Register['systems'][number];
export type IdentityProvider = NonNullable<Register['identityProviders']>[number];
export type SystemCategory = (typeof SYSTEM_CATEGORIES)[number];
export type LoginMethod = (typeof LOGIN_METHODS)[number];
