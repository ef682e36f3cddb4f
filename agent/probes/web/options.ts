import { z } from 'zod';

export const DEFAULT_WEB_SCHEDULE = '50 4 * * *';

/** One business system of the system register, as far as the web probe needs it. */
export interface WebSystem {
  /** Register system id; becomes the target id. */
  id: string;
  name: string;
  loginUrl?: string;
  /** The declared identity provider; url is its SSO endpoint or an issuer prefix. */
  identityProvider?: { id: string; protocol: 'saml' | 'oidc'; url: string };
  endpoints?: { protocol: EndpointProtocol; host: string; port: number }[];
}

export const ENDPOINT_PROTOCOLS = ['ldap', 'ldaps', 'smtp', 'smtps', 'https'] as const;
export type EndpointProtocol = (typeof ENDPOINT_PROTOCOLS)[number];

export interface WebProbeOptions {
  /** Systems given directly (an ad-hoc scan); with `register` these are added to the register's. */
  systems?: WebSystem[];
  /** The system register file: its systems are examined and each entry is reported as the `register` fact. */
  register?: string;
  /** PEM file with CAs trusted beside the system's (the kommun's own CA). */
  caFile?: string;
  /** Per connection or request. */
  timeoutMs?: number;
  maxRedirects?: number;
  /** Systems probed at once. */
  concurrency?: number;
}

export const WEB_DEFAULTS = {
  timeoutMs: 10_000,
  maxRedirects: 10,
  concurrency: 4,
  /** A larger body is an error, not a page. */
  maxBodyBytes: 1024 * 1024,
  /** Node's default is 16 KiB; larger header blocks are refused as hostile. */
  maxHeaderBytes: 64 * 1024,
} as const;

const HOST_PATTERN = /^[A-Za-z0-9.:_-]+$/;

/** An http(s) URL without credentials; `what` names the field in the message. */
function webUrl(what: string) {
  return z
    .string()
    .min(1)
    .max(2048)
    .superRefine((value, ctx) => {
      let url: URL;
      try {
        url = new URL(value);
      } catch {
        ctx.addIssue({ code: 'custom', message: `${what}: ogiltig URL '${value.slice(0, 200)}' — förväntade t.ex. https://system.kommun.se/login (invalid URL)` });
        return;
      }
      if (url.protocol !== 'https:' && url.protocol !== 'http:') {
        ctx.addIssue({ code: 'custom', message: `${what}: förväntade en https://- eller http://-adress, fick ${url.protocol} (expected http or https)` });
      }
      if (url.username || url.password) {
        ctx.addIssue({ code: 'custom', message: `${what}: användarnamn eller lösenord hör inte hemma i adressen (no credentials in the URL)` });
      }
    });
}

/**
 * The web probe's options (`probes.web.options`): the business systems to look at, normally
 * built from the system register. Nothing secret: the probe never logs in. `path` resolves
 * file names (the agent config resolves them against its own folder).
 */
export function webOptionsSchema(path: z.ZodType<string, string> = z.string().min(1).max(4096)) {
  const system = z.strictObject({
    id: z.string().min(1, 'id får inte vara tomt (id must not be empty)').max(256),
    name: z.string().min(1, 'name får inte vara tomt (name must not be empty)').max(256),
    loginUrl: webUrl('loginUrl').optional(),
    identityProvider: z
      .strictObject({
        id: z.string().min(1).max(256),
        protocol: z.enum(['saml', 'oidc'], { error: 'protocol ska vara saml eller oidc (protocol must be saml or oidc)' }),
        url: webUrl('identityProvider.url'),
      })
      .optional(),
    endpoints: z
      .array(
        z.strictObject({
          protocol: z.enum(ENDPOINT_PROTOCOLS, { error: `protocol ska vara ett av ${ENDPOINT_PROTOCOLS.join(', ')} (unknown endpoint protocol)` }),
          host: z.string().min(1).max(253).regex(HOST_PATTERN, 'ett värdnamn eller en IP-adress (a host name or IP address)'),
          port: z.number().int().min(1).max(65535),
        }),
      )
      .max(50)
      .optional(),
  });
  return z
    .strictObject({
      systems: z.array(system).min(1, 'ange minst ett system (at least one system)').max(5000).optional(),
      register: path.optional(),
      caFile: path.optional(),
      timeoutMs: z.number().int().min(100).max(120_000).optional(),
      maxRedirects: z.number().int().min(0).max(30).optional(),
      concurrency: z.number().int().min(1).max(64).optional(),
    })
    .superRefine((options, ctx) => {
      const seen = new Map<string, number>();
      (options.systems ?? []).forEach((s, i) => {
        const first = seen.get(s.id);
        if (first !== undefined) {
          ctx.addIssue({ code: 'custom', path: ['systems', i, 'id'], message: `id '${s.id}' finns redan (systems.${first}) (duplicate system id)` });
        } else seen.set(s.id, i);
      });
    });
}

// The schema's output is the interface above, so config and the register glue agree on one shape.
type SchemaOutput = z.output<ReturnType<typeof webOptionsSchema>>;
const _sameShape: (o: SchemaOutput) => WebProbeOptions = (o) => o;
void _sameShape;
