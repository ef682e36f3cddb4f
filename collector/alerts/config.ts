import { z } from 'zod';
import { SEVERITIES } from '../../rules/engine/schema.js';

/** What a route can be told to alert on. `agent-silent` covers the agent coming back too. */
export const ALERT_EVENTS = ['new', 'regressed', 'resolved', 'unknown', 'digest', 'agent-silent'] as const;
export type AlertEvent = (typeof ALERT_EVENTS)[number];

const LOOPBACK_HOST = /^(127\.\d+\.\d+\.\d+|\[::1\]|::1|localhost)$/;
const channelId = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'id: små bokstäver, siffror, - och _ (lowercase letters, digits, - and _)');

const rateLimit = z
  .strictObject({
    /** At most this many sends (one send may carry several grouped alerts) per window. */
    max: z.number().int().min(1).default(30),
    windowSeconds: z.number().int().min(1).default(60),
  })
  .default({ max: 30, windowSeconds: 60 });

const timeoutSeconds = z.number().positive().max(300).default(15);

const webhookChannel = z.strictObject({
  id: channelId,
  kind: z.literal('webhook'),
  url: z.url().refine((u) => {
    const url = new URL(u);
    return url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK_HOST.test(url.hostname));
  }, 'url måste vara https (http bara till 127.0.0.1/localhost) (url must be https; http only to loopback)'),
  /** File holding the shared HMAC secret; never inline in the config. */
  secretFile: z.string().min(1),
  /** Extra CA certificates (PEM) to trust for the receiver; the server certificate is always verified. */
  caFile: z.string().min(1).optional(),
  timeoutSeconds,
  rateLimit,
});

const emailChannel = z.strictObject({
  id: channelId,
  kind: z.literal('email'),
  host: z.string().min(1),
  port: z.number().int().min(1).max(65535).default(587),
  /** starttls: required upgrade on a plain port (default); tls: implicit TLS (port 465); none: only for a relay on loopback. */
  security: z.enum(['starttls', 'tls', 'none']).default('starttls'),
  caFile: z.string().min(1).optional(),
  username: z.string().min(1).optional(),
  /** File holding the SMTP password; never inline in the config. */
  passwordFile: z.string().min(1).optional(),
  from: z.string().min(3),
  to: z.array(z.string().min(3)).min(1),
  timeoutSeconds,
  rateLimit,
});

const syslogChannel = z.strictObject({
  id: channelId,
  kind: z.literal('syslog'),
  host: z.string().min(1),
  port: z.number().int().min(1).max(65535).default(6514),
  /** tls: RFC 5425 (default); tcp: plain RFC 6587 octet counting, for a relay on a trusted network. */
  transport: z.enum(['tls', 'tcp']).default('tls'),
  caFile: z.string().min(1).optional(),
  facility: z
    .enum(['kern', 'user', 'mail', 'daemon', 'auth', 'syslog', 'lpr', 'news', 'uucp', 'cron', 'authpriv', 'ftp', 'local0', 'local1', 'local2', 'local3', 'local4', 'local5', 'local6', 'local7'])
    .default('local0'),
  /** HOSTNAME field; defaults to this machine's name. */
  hostname: z.string().regex(/^[!-~]{1,255}$/).optional(),
  timeoutSeconds,
  rateLimit,
});

export const alertChannelSchema = z.discriminatedUnion('kind', [webhookChannel, emailChannel, syslogChannel]);

export const alertRouteSchema = z.strictObject({
  /** Names the route in digests and dedupe keys; defaults to its position. */
  name: channelId.optional(),
  /** Tenant ids; all tenants when left out. */
  tenants: z.array(z.string().min(1)).min(1).optional(),
  minSeverity: z.enum(SEVERITIES).default('high'),
  /** GOALS.md ids; a finding matches when it maps to any of them. All goals when left out. */
  goals: z.array(z.string().min(1)).min(1).optional(),
  channels: z.array(channelId).min(1),
  on: z.array(z.enum(ALERT_EVENTS)).min(1).default(['new', 'regressed']),
});

const HH_MM = /^([01]\d|2[0-3]):[0-5]\d$/;

export const alertsConfigSchema = z
  .strictObject({
    /** IANA time zone of the digest time and of times in alert texts; the collector's own when left out. */
    timeZone: z.string().refine(validTimeZone, 'okänd tidszon (unknown time zone)').optional(),
    channels: z.array(alertChannelSchema).min(1),
    routes: z.array(alertRouteSchema).min(1),
    digest: z
      .strictObject({
        /** Local time of day, "HH:MM", in `timeZone`. */
        time: z.string().regex(HH_MM, 'tid som "HH:MM" (time as "HH:MM")').default('07:00'),
      })
      .default({ time: '07:00' }),
    silentAgents: z
      .strictObject({
        /** An agent that has not reported for this long is silent. Agents scan hourly by default, so 3 h is three missed reports. */
        afterMinutes: z.number().int().min(5).default(180),
      })
      .default({ afterMinutes: 180 }),
    delivery: z
      .strictObject({
        /** How often the outbox is polled. */
        intervalSeconds: z.number().min(0.1).max(300).default(5),
        /** Alerts for the same rule and kind that wait at most this long are sent as one. */
        groupSeconds: z.number().min(0).max(3600).default(30),
        /** Gives up after this many failed attempts; the alert stays in the outbox as dead. */
        maxAttempts: z.number().int().min(1).max(100).default(20),
        backoffSeconds: z
          .strictObject({ initial: z.number().min(0.1).default(30), max: z.number().min(0.1).default(3600) })
          .default({ initial: 30, max: 3600 }),
        /** How long a claimed alert is reserved for one collector process; longer than any send. */
        leaseSeconds: z.number().min(1).default(120),
      })
      .default({ intervalSeconds: 5, groupSeconds: 30, maxAttempts: 20, backoffSeconds: { initial: 30, max: 3600 }, leaseSeconds: 120 }),
  })
  .superRefine((config, ctx) => {
    const ids = new Set<string>();
    config.channels.forEach((c, i) => {
      if (ids.has(c.id)) ctx.addIssue({ code: 'custom', path: ['channels', i, 'id'], message: `kanalen "${c.id}" finns redan (duplicate channel id)` });
      ids.add(c.id);
      if (c.kind === 'email' && c.username && !c.passwordFile) {
        ctx.addIssue({ code: 'custom', path: ['channels', i, 'passwordFile'], message: 'username kräver passwordFile (username needs passwordFile)' });
      }
      if (c.kind === 'email' && c.security === 'none' && !LOOPBACK_HOST.test(c.host)) {
        ctx.addIssue({ code: 'custom', path: ['channels', i, 'security'], message: 'security: none bara mot 127.0.0.1 (only to loopback)' });
      }
    });
    const names = new Set<string>();
    config.routes.forEach((r, i) => {
      r.channels.forEach((c, j) => {
        if (!ids.has(c)) ctx.addIssue({ code: 'custom', path: ['routes', i, 'channels', j], message: `okänd kanal "${c}" (unknown channel)` });
      });
      const name = routeName(r, i);
      if (names.has(name)) ctx.addIssue({ code: 'custom', path: ['routes', i, 'name'], message: `rutten "${name}" finns redan (duplicate route name)` });
      names.add(name);
    });
    const slowest = Math.max(...config.channels.map((c) => c.timeoutSeconds));
    if (config.delivery.leaseSeconds < 2 * slowest) {
      ctx.addIssue({ code: 'custom', path: ['delivery', 'leaseSeconds'], message: `minst ${2 * slowest} s, två gånger kanalernas längsta timeoutSeconds (at least twice the longest channel timeout)` });
    }
    if (config.delivery.backoffSeconds.max < config.delivery.backoffSeconds.initial) {
      ctx.addIssue({ code: 'custom', path: ['delivery', 'backoffSeconds', 'max'], message: 'max < initial' });
    }
  });

export type AlertsConfig = z.infer<typeof alertsConfigSchema>;
export type AlertChannelConfig = z.infer<typeof alertChannelSchema>;
export type AlertRoute = z.infer<typeof alertRouteSchema>;
export type DeliveryConfig = AlertsConfig['delivery'];

export function routeName(route: Pick<AlertRoute, 'name'>, index: number): string {
  return route.name ?? `route-${index + 1}`;
}

function validTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** Resolves the file paths of the alerts section against the config file's folder. */
export function resolveAlertPaths(config: AlertsConfig, at: (path: string) => string): AlertsConfig {
  const opt = (p: string | undefined) => (p === undefined ? undefined : at(p));
  return {
    ...config,
    channels: config.channels.map((c) => {
      switch (c.kind) {
        case 'webhook':
          return { ...c, secretFile: at(c.secretFile), caFile: opt(c.caFile) };
        case 'email':
          return { ...c, passwordFile: opt(c.passwordFile), caFile: opt(c.caFile) };
        case 'syslog':
          return { ...c, caFile: opt(c.caFile) };
      }
    }),
  };
}
