import { z } from 'zod';

export const DEFAULT_NETWORK_SCHEDULE = '40 2 * * *';

/**
 * The network probe's options, as written under `probes.network.options` in the agent config
 * or built from `basvakt scan --probe network` flags. Secrets (community, v3 passphrases) stay
 * in files: these options travel to the probe worker in argv.
 */
export function networkOptionsSchema(path: z.ZodType<string, string>) {
  const host = z.string().min(1).max(253).regex(/^[A-Za-z0-9.:_-]+$/, 'ett värdnamn eller en IP-adress (a host name or IP address)');
  const sw = z
    .strictObject({
      host,
      port: z.number().int().min(1).max(65535).optional(),
      version: z.enum(['2c', '3']),
      /** File whose first line is the v2c community. */
      communityFile: path.optional(),
      v3: z
        .strictObject({
          user: z.string().min(1).max(64),
          authFile: path,
          privFile: path,
          authProtocol: z.enum(['md5', 'sha', 'sha224', 'sha256', 'sha384', 'sha512']).optional(),
          privProtocol: z.enum(['des', 'aes', 'aes256b', 'aes256r']).optional(),
        })
        .optional(),
    })
    .superRefine((s, ctx) => {
      if (s.version === '2c' && !s.communityFile) ctx.addIssue({ code: 'custom', message: 'version 2c kräver communityFile (v2c needs communityFile)', path: ['communityFile'] });
      if (s.version === '3' && !s.v3) ctx.addIssue({ code: 'custom', message: 'version 3 kräver v3: user, authFile, privFile (v3 needs the v3 block)', path: ['v3'] });
    });
  return z.strictObject({
    switches: z.array(sw).min(1).max(5000),
    /** Switches polled at once. */
    concurrency: z.number().int().min(1).max(64).optional(),
    /** Per SNMP request. */
    timeoutSeconds: z.number().positive().max(60).optional(),
    retries: z.number().int().min(0).max(5).optional(),
    /** Whole budget per switch. */
    switchTimeoutSeconds: z.number().positive().max(3600).optional(),
    /** Rows per table before the walk is called too large. */
    maxRows: z.number().int().min(100).max(2_000_000).optional(),
    /** Ask each declared switch whether v1/v2c answers public/private (default true). */
    testDefaultCommunities: z.boolean().optional(),
  });
}

export type NetworkProbeOptions = z.output<ReturnType<typeof networkOptionsSchema>>;
export type SwitchOptions = NetworkProbeOptions['switches'][number];

export const NETWORK_DEFAULTS = {
  concurrency: 8,
  timeoutSeconds: 2,
  retries: 1,
  switchTimeoutSeconds: 120,
  maxRows: 200_000,
  maxRepetitions: 25,
} as const;
