import { resolve } from 'node:path';
import { z } from 'zod';
import { cronProblem } from './cron.js';
import { DEFAULT_DIRECTORY_SCHEDULE, directoryOptionsSchema } from '../probes/directory/options.js';
import { DEFAULT_NETWORK_SCHEDULE, networkOptionsSchema } from '../probes/network/options.js';
import { DEFAULT_REACH_SCHEDULE, reachOptionsSchema } from '../probes/reach/options.js';
import { DEFAULT_WEB_SCHEDULE, webOptionsSchema } from '../probes/web/options.js';

export const DEFAULT_CREDENTIAL_FILE = '/var/lib/basvakt/agent-credential.json';
export const DEFAULT_SPOOL_DIRECTORY = '/var/lib/basvakt/spool';
export const DEFAULT_SPOOL_MAX_BYTES = 200 * 1024 * 1024;
export const DEFAULT_SPOOL_MAX_REPORTS = 10_000;
export const DEFAULT_COLLECTOR_TIMEOUT_SECONDS = 30;
export const DEFAULT_HOST_SCHEDULE = '*/30 * * * *';
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const MIN_SPOOL_BYTES = 1024 * 1024;
const BYTE_UNITS: Record<string, number> = { b: 1, kb: 1024, kib: 1024, mb: 1024 ** 2, mib: 1024 ** 2, gb: 1024 ** 3, gib: 1024 ** 3 };

/** A byte count: a plain integer, or a number with a unit such as "200 MB" (1 MB = 1024 × 1024 byte). */
export function parseByteSize(input: number | string): number | undefined {
  if (typeof input === 'number') return Number.isInteger(input) && input > 0 ? input : undefined;
  const match = /^\s*(\d+(?:[.,]\d+)?)\s*([a-z]*)\s*$/i.exec(input);
  if (!match) return undefined;
  const unit = BYTE_UNITS[(match[2] ?? '').toLowerCase() || 'b'];
  if (unit === undefined) return undefined;
  const bytes = Math.floor(Number(match[1]!.replace(',', '.')) * unit);
  return bytes > 0 ? bytes : undefined;
}

const byteSize = z
  .union([z.number(), z.string()], { error: 'förväntade en storlek i byte, t.ex. 209715200 eller "200 MB" (expected a byte size)' })
  .transform((value, ctx) => {
    const bytes = parseByteSize(value);
    if (bytes === undefined) {
      ctx.addIssue({ code: 'custom', message: `ogiltig storlek ${JSON.stringify(value)} — förväntade t.ex. 209715200 eller "200 MB" (invalid byte size)` });
      return z.NEVER;
    }
    if (bytes < MIN_SPOOL_BYTES) {
      ctx.addIssue({ code: 'custom', message: `för litet — minst 1 MB (${MIN_SPOOL_BYTES} byte) (too small)` });
      return z.NEVER;
    }
    return bytes;
  });

export const cronExpression = z.string().superRefine((value, ctx) => {
  const problem = cronProblem(value);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});

const collectorUrl = z
  .string()
  .min(1)
  .superRefine((value, ctx) => {
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      ctx.addIssue({ code: 'custom', message: `ogiltig URL '${value}' — förväntade t.ex. https://basvakt.kommun.se (invalid URL)` });
      return;
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') {
      ctx.addIssue({ code: 'custom', message: `förväntade en https://-adress, fick ${url.protocol} (expected https)` });
    }
    if (url.username || url.password) {
      // The agent authenticates with its credential file; a password in the URL would end up in logs.
      ctx.addIssue({ code: 'custom', message: 'användarnamn eller lösenord hör inte hemma i adressen (no credentials in the URL)' });
    }
    if (url.search || url.hash) {
      ctx.addIssue({ code: 'custom', message: 'adressen får inte ha ?frågedel eller #fragment (no query or fragment)' });
    }
  })
  .transform((value) => value.replace(/\/+$/, ''));

/** Everything a probe entry has in common; each probe adds its own options. */
export function probeSettings<O extends z.ZodType>(defaultSchedule: string, options: O) {
  return z.strictObject({
    enabled: z.boolean().default(true),
    schedule: cronExpression.default(defaultSchedule),
    options: options.optional(),
  });
}

/**
 * The agent config. Paths are resolved against `baseDir` (the config file's folder), so
 * the same file works wherever the agent is started from.
 */
export function createAgentConfigSchema(baseDir: string) {
  const path = z
    .string()
    .min(1)
    .transform((p) => resolve(baseDir, p));

  // The same shape as the Linux host probe's ClamavOptions (agent/probes/host/linux/options.ts).
  const clamavOptions = z.strictObject({
    /** clamd.conf to read LocalSocket, TCPSocket and DatabaseDirectory from. */
    configFile: path.optional(),
    /** clamd's unix socket (overrides LocalSocket). */
    socket: path.optional(),
    /** clamd's TCP address (overrides TCPAddr / TCPSocket). */
    tcp: z.strictObject({ host: z.string().min(1), port: z.number().int().min(1).max(65535) }).optional(),
    /** Where the signature databases live (main/daily/bytecode .cvd/.cld). */
    databaseDir: path.optional(),
  });

  const hostProbe = probeSettings(
    DEFAULT_HOST_SCHEDULE,
    z.strictObject({ timeoutSeconds: z.number().positive().max(300).optional(), clamav: clamavOptions.optional() }),
  );

  return z.strictObject({
    collector: z.strictObject({
      url: collectorUrl,
      /** PEM file with the CA that signed the collector's certificate, when it is not a public one. */
      caFile: path.optional(),
      /** Client certificate and key (PEM) when the collector requires mutual TLS. */
      clientCertFile: path.optional(),
      clientKeyFile: path.optional(),
      timeoutSeconds: z.number().positive().max(600).default(DEFAULT_COLLECTOR_TIMEOUT_SECONDS),
    })
    .refine((c) => !c.clientCertFile === !c.clientKeyFile, { message: 'ange både clientCertFile och clientKeyFile, eller ingen av dem (give both or neither)', path: ['clientKeyFile'] }),
    credentialFile: path.default(DEFAULT_CREDENTIAL_FILE),
    spool: z
      .strictObject({
        directory: path.default(DEFAULT_SPOOL_DIRECTORY),
        maxBytes: byteSize.default(DEFAULT_SPOOL_MAX_BYTES),
        maxReports: z.number().int().min(1).max(1_000_000).default(DEFAULT_SPOOL_MAX_REPORTS),
      })
      .prefault({}),
    /**
     * The system register (YAML or CSV, agent/register). The web probe examines its systems and
     * reports each entry; the directory probe resolves its user and MFA groups.
     */
    register: path.optional(),
    // One entry per probe kind; directory, network, reach and web are added here as they arrive.
    probes: z
      .strictObject({
        host: hostProbe.prefault({}),
        // Not prefaulted: the directory probe runs only when configured.
        directory: probeSettings(DEFAULT_DIRECTORY_SCHEDULE, directoryOptionsSchema(path)).optional(),
        // Not prefaulted: the network and reach probes run only when configured.
        network: probeSettings(DEFAULT_NETWORK_SCHEDULE, networkOptionsSchema(path)).optional(),
        reach: probeSettings(DEFAULT_REACH_SCHEDULE, reachOptionsSchema()).optional(),
        web: probeSettings(DEFAULT_WEB_SCHEDULE, webOptionsSchema(path)).optional(),
      })
      .prefault({}),
    log: z.strictObject({ level: z.enum(LOG_LEVELS).default('info') }).prefault({}),
  })
  .superRefine((config, ctx) => {
    const web = config.probes.web;
    if (web?.enabled && !web.options?.systems && !web.options?.register && !config.register) {
      ctx.addIssue({ code: 'custom', path: ['probes', 'web', 'options', 'systems'], message: 'ange register (systemförteckningen) eller systems (the system register, or the systems to examine)' });
    }
  });
}

export type AgentConfigSchema = ReturnType<typeof createAgentConfigSchema>;
export type AgentConfig = z.output<AgentConfigSchema>;
export type ProbeSettings = AgentConfig['probes']['host'];
export type ProbeName = keyof AgentConfig['probes'];
export type HostProbeOptions = NonNullable<AgentConfig['probes']['host']['options']>;
export type ClamavOptions = NonNullable<HostProbeOptions['clamav']>;
export type DirectoryProbeOptions = NonNullable<NonNullable<AgentConfig['probes']['directory']>['options']>;
