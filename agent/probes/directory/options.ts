import { z } from 'zod';

export const DEFAULT_DIRECTORY_SCHEDULE = '15 3 * * *';
export const MIN_INACTIVE_DAYS = 30;

/**
 * One directory to audit, as written under `probes.directory.options` in the agent config
 * or built from `basvakt scan --probe directory` flags. Only file paths and an environment
 * variable's name, never a secret: these options travel to the probe worker in argv.
 */
export function directoryEntrySchema(path: z.ZodType<string, string>) {
  const dn = z.string().min(3).max(1024);
  return z
    .strictObject({
      /** Target id in reports; default: the naming context in lower case. */
      id: z.string().min(1).max(256).optional(),
      url: z
        .string()
        .regex(/^ldaps?:\/\/[^/?#@\s]+\/?$/i, 'förväntade ldap://VÄRD[:PORT] eller ldaps://VÄRD[:PORT] (expected an LDAP URL without path or credentials)'),
      bindDn: z.string().min(1).max(1024),
      passwordFile: path.optional(),
      passwordEnv: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,127}$/).optional(),
      base: dn.optional(),
      /** PEM file with the CA that signed the server's certificate. */
      caFile: path.optional(),
      /** Name the certificate must carry, when the URL uses an address (e.g. dc1.kommun.se). */
      tlsServerName: z.string().min(1).max(256).optional(),
      /** Bind without TLS. The password crosses the network in clear; reported as a finding. */
      allowPlainBind: z.boolean().default(false),
      kind: z.enum(['auto', 'ad', 'openldap']).default('auto'),
      timeoutSeconds: z.number().positive().max(600).default(30),
      /** AD answers at most MaxPageSize (1000 by default) per page. */
      pageSize: z.number().int().min(10).max(5000).default(1000),
      /** Upper bound on entries read per search, so a huge or hostile directory cannot exhaust memory. */
      maxEntries: z.number().int().min(100).max(2_000_000).default(500_000),
      /** lastLogonTimestamp replicates only every 9–14 days, so shorter limits would flag active users. */
      inactiveDays: z.number().int().min(MIN_INACTIVE_DAYS).max(3650).default(90),
      staleComputerDays: z.number().int().min(MIN_INACTIVE_DAYS).max(3650).default(90),
      /** OpenLDAP has no well-known admin groups: list them here (AD's are found by SID; these are added). */
      privilegedGroups: z.array(dn).max(20).default([]),
      /** The system register: its systems' user groups and its MFA groups are resolved too (set from the agent's top-level register). */
      register: path.optional(),
      groups: z
        .strictObject({
          sso: dn.optional(),
          /** One group, or several when users enrol in MFA through different groups. */
          mfa: z.union([dn, z.array(dn).min(1).max(20)]).optional(),
          networkLogin: dn.optional(),
          /** Business system → the group (or groups) of its users. */
          systems: z.record(z.string().min(1).max(128), z.union([dn, z.array(dn).min(1).max(20)])).optional(),
        })
        .default({}),
    })
    .refine((d) => (d.passwordFile === undefined) !== (d.passwordEnv === undefined), {
      message: 'ange exakt ett av passwordFile och passwordEnv (exactly one of passwordFile and passwordEnv)',
    });
}

export function directoryOptionsSchema(path: z.ZodType<string, string>) {
  return z.array(directoryEntrySchema(path)).min(1).max(20);
}

export type DirectoryEntry = z.output<ReturnType<typeof directoryEntrySchema>>;
export type DirectoryOptions = DirectoryEntry[];
