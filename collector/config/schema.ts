import { z } from 'zod';
import { alertsConfigSchema } from '../alerts/config.js';

export const collectorConfigSchema = z.strictObject({
  listen: z
    .strictObject({
      host: z.string().default('127.0.0.1'),
      port: z.number().int().min(0).max(65535).default(8443),
    })
    .default({ host: '127.0.0.1', port: 8443 }),
  /** Without TLS the collector refuses to listen on anything but loopback. */
  tls: z
    .strictObject({
      certFile: z.string(),
      keyFile: z.string(),
      /** CA for agents' client certificates (mutual TLS); with requireClientCert, agents without one are refused. */
      clientCaFile: z.string().optional(),
      requireClientCert: z.boolean().default(false),
    })
    .optional(),
  auth: z
    .strictObject({
      /** Log in by binding to the tenant's own directory (users created with --ldap-dn). */
      ldap: z
        .array(z.strictObject({ tenant: z.string(), url: z.string().url(), caFile: z.string().optional(), allowPlainBind: z.boolean().default(false), timeoutSeconds: z.number().positive().max(60).default(10) }))
        .default([]),
      /** Session cookies are Secure when the collector serves TLS; set true behind a TLS proxy too. */
      secureCookies: z.boolean().optional(),
    })
    .default({ ldap: [] }),
  lifecycle: z
    .strictObject({
      /** A target that has not reported for this long shows "no data" (ingen data). */
      silentAfterHours: z.number().positive().max(24 * 90).default(24),
    })
    .default({ silentAfterHours: 24 }),
  /** SQLite for one collector; PostgreSQL when several collector replicas share the data. */
  database: z
    .discriminatedUnion('driver', [
      z.strictObject({
        driver: z.literal('sqlite'),
        path: z.string().default('/var/lib/basvakt/collector.db'),
      }),
      z.strictObject({
        driver: z.literal('postgres'),
        host: z.string().default('127.0.0.1'),
        port: z.number().int().min(1).max(65535).default(5432),
        database: z.string().default('basvakt'),
        user: z.string().default('basvakt'),
        passwordFile: z.string().optional(),
        caFile: z.string().optional(),
        poolSize: z.number().int().min(1).max(200).default(10),
      }),
    ])
    .default({ driver: 'sqlite', path: '/var/lib/basvakt/collector.db' }),
  limits: z
    .strictObject({
      bodyBytes: z.number().int().min(1024).max(256 * 1024 * 1024).default(10 * 1024 * 1024),
    })
    .default({ bodyBytes: 10 * 1024 * 1024 }),
  rules: z
    .strictObject({
      /** Extra rule-pack folders, beside the bundled packs. */
      directories: z.array(z.string()).default([]),
    })
    .default({ directories: [] }),
  log: z.strictObject({ level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace']).default('info') }).default({ level: 'info' }),
  /** Alerts by webhook, e-mail and syslog; off when left out. */
  alerts: alertsConfigSchema.optional(),
});

export type CollectorConfig = z.infer<typeof collectorConfigSchema>;
