import { hostname } from 'node:os';
import type { EndpointsValue, EndpointValue } from '../../../report/facts/web.js';
import type { Observation } from '../fact.js';
import type { WebContext } from './context.js';
import { describeNetworkError } from './errors.js';
import type { EndpointProtocol, WebSystem } from './options.js';
import { ldapStartTls, smtpStartTls } from './starttls.js';
import { inspectTls, type Preamble } from './tls-probe.js';

type Endpoint = NonNullable<WebSystem['endpoints']>[number];

/** The name the probe greets SMTP servers with: this host's, if it is a plausible domain label. */
function heloName(): string {
  const name = hostname();
  return /^[A-Za-z0-9.-]{1,253}$/.test(name) ? name : 'basvakt.invalid';
}

function preambleFor(protocol: EndpointProtocol): Preamble | undefined {
  if (protocol === 'ldap') return ldapStartTls;
  if (protocol === 'smtp') return smtpStartTls(heloName());
  return undefined;
}

async function examine(endpoint: Endpoint, ctx: WebContext): Promise<EndpointValue> {
  const base = { protocol: endpoint.protocol, host: endpoint.host, port: endpoint.port };
  const preamble = preambleFor(endpoint.protocol);
  try {
    const tls = await inspectTls({ host: endpoint.host, port: endpoint.port, ...(preamble ? { preamble } : {}) }, { timeoutMs: ctx.timeoutMs, contexts: ctx.tlsContexts, now: ctx.now });
    const encrypted = tls.offered.length > 0;
    return {
      ...base,
      tlsMode: encrypted ? (preamble ? 'starttls' : 'implicit') : 'none',
      versions: tls.versions,
      offered: tls.offered,
      certificate: tls.certificate,
      noTlsReason: encrypted ? null : (tls.noTls ?? 'ingen TLS-handskakning lyckades (no TLS handshake succeeded)').slice(0, 256),
      error: null,
    };
  } catch (error) {
    return { ...base, tlsMode: null, versions: [], offered: [], certificate: null, noTlsReason: null, error: describeNetworkError(error).slice(0, 256) };
  }
}

/**
 * TLS on each declared endpoint: StartTLS on LDAP, STARTTLS on SMTP, TLS from the first byte
 * on LDAPS, SMTPS and HTTPS; the same version and certificate checks as the login page.
 * An endpoint that cannot be reached keeps its reason in `error` and tlsMode null.
 */
export async function observeEndpoints(system: WebSystem & { endpoints: Endpoint[] }, ctx: WebContext): Promise<Observation<EndpointsValue>> {
  const endpoints: EndpointValue[] = [];
  for (const endpoint of system.endpoints) endpoints.push(await examine(endpoint, ctx));
  const list = system.endpoints.map((e) => `${e.protocol}://${e.host}:${e.port}`).join(', ');
  const source = list ? `TLS-handskakningar (TLS handshakes): ${list}` : 'systemförteckningen anger inga ändpunkter (the system register declares no endpoints)';
  return { source: source.slice(0, 4000), value: { endpoints } };
}
