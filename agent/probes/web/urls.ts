const LONG_VALUE = 40;
const KEEP = 16;
const MAX_URL = 1024;

/**
 * A URL for the reader and the report: query values longer than 40 characters (SAMLRequest,
 * state, nonce, code_challenge, …) cut to their first 16 and an ellipsis, no fragment, at
 * most 1024 characters. Display text, not a URL to follow.
 */
export function shortUrl(input: URL | string): string {
  let url: URL;
  try {
    url = typeof input === 'string' ? new URL(input) : input;
  } catch {
    return clip(String(input));
  }
  const base = `${url.protocol}//${url.host}${url.pathname}`;
  const query = [...url.searchParams]
    .map(([name, value]) => {
      const shown = value.length > LONG_VALUE ? `${encodeURIComponent(value.slice(0, KEEP))}…` : encodeURIComponent(value);
      return `${encodeURIComponent(name)}=${shown}`;
    })
    .join('&');
  return clip(query ? `${base}?${query}` : base);
}

function clip(text: string): string {
  return text.length > MAX_URL ? `${text.slice(0, MAX_URL - 1)}…` : text;
}

/** The URL without query and fragment: an endpoint. */
export function endpointOf(url: URL): string {
  return clip(`${url.protocol}//${url.host}${url.pathname}`);
}

/**
 * True when `observed` lies under `declared`: the same scheme, host and port, and the
 * declared path a prefix of the observed one (a declared https://idp.kommun.se/ covers
 * every path on that host). Host names compare without case, paths with it.
 */
export function underPrefix(observed: URL, declared: URL): boolean {
  if (observed.protocol !== declared.protocol || observed.host.toLowerCase() !== declared.host.toLowerCase()) return false;
  const prefix = declared.pathname;
  if (prefix === '/' || prefix === '') return true;
  if (!observed.pathname.startsWith(prefix)) return false;
  // /idp must not cover /idp-test: the prefix ends at a path boundary.
  return prefix.endsWith('/') || observed.pathname.length === prefix.length || observed.pathname[prefix.length] === '/';
}
