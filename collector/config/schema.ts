import { z } from 'zod';

export const collectorConfigSchema = z.strictObject({
  listen: z
    .strictObject({
      host: z.string().default('127.0.0.1'),
      port: z.number().int().min(0).max(65535).default(8443),
    })
    .default({ host: '127.0.0.1', port: 8443 }),
  /** Without TLS the collector refuses to listen on anything but loopback. */
  tls: z.strictObject({ certFile: z.string(), keyFile: z.string() }).optional(),
  database: z
    .strictObject({
      driver: z.literal('sqlite').default('sqlite'),
      path: z.string().default('/var/lib/basvakt/collector.db'),
    })
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
});

export type CollectorConfig = z.infer<typeof collectorConfigSchema>;
