import type { IncomingHttpHeaders } from 'node:http';
import type { LoginValue } from '../../../report/facts/web.js';
import type { Observation } from '../fact.js';
import { FactError } from '../fact.js';
import type { WebContext } from './context.js';
import { CookieJar } from './cookies.js';
import { describeNetworkError } from './errors.js';
import { metaRefresh } from './html.js';
import { fetchOnce, type HttpResponse } from './http.js';
import type { WebSystem } from './options.js';
import { ssoFromHtml, ssoFromUrl, type SsoRequest } from './sso.js';
import { endpointOf, shortUrl, underPrefix } from './urls.js';

type Hop = LoginValue['hops'][number];

const isHtmlLike = (headers: IncomingHttpHeaders): boolean => {
  const type = String(headers['content-type'] ?? '').toLowerCase();
  return type === '' || type.includes('html') || type.includes('xml') || type.startsWith('text/');
};

/** Schemes named in WWW-Authenticate, e.g. ["Negotiate", "NTLM"]. */
function authSchemes(headers: IncomingHttpHeaders): string[] {
  const raw = headers['www-authenticate'];
  const text = Array.isArray(raw) ? raw.join(', ') : (raw ?? '');
  const schemes = new Set<string>();
  // A scheme is a token at the start or after a comma, not followed by "=" (which would make it a parameter).
  for (const m of text.matchAll(/(?:^|,)\s*([A-Za-z][\w!#$%&'*+.^`|~-]*)(?=\s|,|$)/g)) schemes.add(m[1]!.slice(0, 64));
  return [...schemes].slice(0, 10);
}

/** Where a redirect points, resolved against the page; null when it is not an http(s) URL. */
function redirectTarget(location: string, base: URL): URL | string {
  let next: URL;
  try {
    next = new URL(location, base);
  } catch {
    return `ogiltig adress i omdirigeringen (invalid redirect target): ${location.slice(0, 200)}`;
  }
  if (next.protocol !== 'http:' && next.protocol !== 'https:') {
    return `omdirigering till ${next.protocol} är inte tillåten (redirect to a non-http scheme): ${shortUrl(location)}`;
  }
  if (next.username || next.password) return 'omdirigering med inloggningsuppgifter i adressen vägras (redirect with credentials refused)';
  return next;
}

function matches(sso: SsoRequest | null, declared: WebSystem['identityProvider']): boolean | null {
  if (!declared) return null;
  if (!sso) return false;
  try {
    return underPrefix(sso.endpoint, new URL(declared.url));
  } catch {
    return false;
  }
}

function protocolOf(sso: SsoRequest | null, finalStatus: number | null, authenticate: string[], stoppedEarly: boolean): LoginValue['protocol'] {
  if (sso) return sso.protocol;
  if (stoppedEarly || finalStatus === null) return 'unknown';
  if (finalStatus === 401) return authenticate.some((s) => s.toLowerCase() === 'negotiate') ? 'kerberos' : 'none';
  if (finalStatus >= 200 && finalStatus < 300) return 'none';
  return 'unknown';
}

/**
 * Loads the system's login page as a visitor who is not logged in: GET only, redirects and
 * meta refreshes followed up to the limit, cookies kept per host. Recognises a SAML request
 * (HTTP-Redirect or HTTP-POST binding) or an OIDC authorization request on the way, and a
 * Kerberos challenge at the end. A failure before any identity provider's request was seen
 * is an error; after it, the request is already the evidence and the failure is noted.
 */
export async function observeLogin(system: WebSystem & { loginUrl: string }, ctx: WebContext): Promise<Observation<LoginValue>> {
  const source = `HTTP GET ${shortUrl(system.loginUrl)}`;
  const fail = (reason: string, at: string): never => {
    throw new FactError(`Inloggningssidan för ${system.name} (${at}): ${reason} (login page of ${system.name} could not be examined)`, source);
  };
  const jar = new CookieJar();
  const hops: Hop[] = [];
  const seen = new Map<string, number>();
  let url = new URL(system.loginUrl);
  let sso: SsoRequest | null = null;
  let last: HttpResponse | null = null;
  // An object, so that the assignment inside stop() is visible to the type checker below.
  const end = { stopped: null as string | null };

  const stop = (reason: string, at: string): void => {
    if (!sso) fail(reason, at);
    end.stopped = `${reason} (${at})`;
  };

  for (;;) {
    let response: HttpResponse;
    try {
      response = await fetchOnce(url, {
        timeoutMs: ctx.timeoutMs,
        maxBodyBytes: ctx.maxBodyBytes,
        maxHeaderBytes: ctx.maxHeaderBytes,
        userAgent: ctx.userAgent,
        cookie: jar.header(url),
        wantBody: (status, headers) => status >= 200 && status < 300 && isHtmlLike(headers),
      });
    } catch (error) {
      stop(describeNetworkError(error), shortUrl(url));
      last = null;
      break;
    }
    last = response;
    jar.store(url, response.headers['set-cookie']);
    const hop: Hop = { url: shortUrl(url), status: response.status, location: null };
    hops.push(hop);
    seen.set(url.href, (seen.get(url.href) ?? 0) + 1);

    let next: URL | string | null = null;
    const location = response.headers.location;
    if (response.status >= 300 && response.status < 400 && location) {
      next = redirectTarget(location, url);
      hop.location = typeof next === 'string' ? shortUrl(location) : shortUrl(next);
    } else if (response.body) {
      const html = response.body.toString('utf8');
      sso ??= ssoFromHtml(html, url);
      // An auto-post form is the end of the road: the probe never POSTs.
      const refresh = sso?.binding === 'HTTP-POST' ? null : metaRefresh(html);
      if (refresh) {
        next = redirectTarget(refresh, url);
        hop.location = typeof next === 'string' ? shortUrl(refresh) : shortUrl(next);
      }
    }
    if (next === null) break;
    if (typeof next === 'string') {
      stop(next, hop.url);
      break;
    }
    sso ??= ssoFromUrl(next);
    if (hops.length > ctx.maxRedirects) {
      const looped = [...seen.values()].some((n) => n > 1) || seen.has(next.href);
      stop(
        looped
          ? `omdirigeringsslinga: samma adress om och om igen (redirect loop)`
          : `fler än ${ctx.maxRedirects} omdirigeringar (more than ${ctx.maxRedirects} redirects)`,
        hop.url,
      );
      break;
    }
    url = next;
  }

  const stoppedEarly = end.stopped !== null;
  const finalStatus = stoppedEarly ? null : (last?.status ?? null);
  const authenticate = !stoppedEarly && last?.status === 401 ? authSchemes(last.headers) : [];
  const declared = system.identityProvider;
  return {
    source,
    value: {
      url: shortUrl(system.loginUrl),
      declared: declared ? { protocol: declared.protocol, identityProviderUrl: shortUrl(declared.url) } : null,
      protocol: protocolOf(sso, finalStatus, authenticate, stoppedEarly),
      binding: sso?.binding ?? null,
      identityProviderUrl: sso ? endpointOf(sso.endpoint) : null,
      identityProviderHost: sso ? sso.endpoint.host.slice(0, 256) : null,
      matchesDeclared: matches(sso, declared),
      saml: sso?.saml ?? null,
      oidc: sso?.oidc ?? null,
      authenticate,
      hops,
      finalStatus,
      finalUrl: shortUrl(url),
      stopped: end.stopped,
    },
  };
}
