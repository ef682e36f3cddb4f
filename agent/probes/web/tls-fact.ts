import type { TlsValue } from '../../../report/facts/web.js';
import { FactError, type Observation } from '../fact.js';
import type { WebContext } from './context.js';
import { describeNetworkError } from './errors.js';
import { parseHsts } from './hsts.js';
import { fetchOnce, hostOf } from './http.js';
import type { WebSystem } from './options.js';
import { inspectTls } from './tls-probe.js';
import { shortUrl } from './urls.js';

/** Strict-Transport-Security of one GET of the login URL (no redirects followed: the header belongs to that answer). */
async function readHsts(url: URL, ctx: WebContext): Promise<Pick<TlsValue, 'hsts' | 'hstsError'>> {
  try {
    const response = await fetchOnce(url, { ...ctx, wantBody: () => false });
    return { hsts: parseHsts(response.headers['strict-transport-security']), hstsError: null };
  } catch (error) {
    return { hsts: null, hstsError: describeNetworkError(error).slice(0, 256) };
  }
}

/**
 * TLS of the login URL's host: every version tried, the certificate checked against the
 * trust anchors and the host name, and HSTS. An http:// login URL is a value too — no TLS
 * at all — not a failure to observe.
 */
export async function observeLoginTls(system: WebSystem & { loginUrl: string }, ctx: WebContext): Promise<Observation<TlsValue>> {
  const url = new URL(system.loginUrl);
  const host = hostOf(url);
  const port = Number(url.port) || (url.protocol === 'https:' ? 443 : 80);
  if (url.protocol !== 'https:') {
    return {
      source: `inloggningsadressen ${shortUrl(url)} (login URL)`,
      value: { host, port, tls: false, versions: [], offered: [], certificate: null, hsts: null, hstsError: null },
    };
  }
  const source = `TLS-handskakning med ${host}:${port}, en version i taget (TLS handshakes, one version at a time)`;
  try {
    const inspection = await inspectTls({ host, port }, { timeoutMs: ctx.timeoutMs, contexts: ctx.tlsContexts, now: ctx.now });
    const hsts = inspection.offered.length ? await readHsts(url, ctx) : { hsts: null, hstsError: 'ingen TLS-handskakning lyckades (no TLS handshake succeeded)' };
    return {
      source,
      value: { host, port, tls: true, versions: inspection.versions, offered: inspection.offered, certificate: inspection.certificate, ...hsts },
    };
  } catch (error) {
    throw new FactError(`TLS för ${system.name} (${host}:${port}) kunde inte undersökas: ${describeNetworkError(error)} (TLS of ${system.name} could not be examined)`, source);
  }
}
