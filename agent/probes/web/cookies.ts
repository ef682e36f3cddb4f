import { hostOf } from './http.js';

const MAX_COOKIES_PER_HOST = 50;
const MAX_COOKIE_BYTES = 4096;

/**
 * Cookies kept per exact host (and port) and sent back only there: a Domain attribute never
 * widens them, so a cookie one system sets never reaches another host. Secure cookies are
 * not sent over http. Enough to follow a login redirect chain; not a browser's jar.
 */
export class CookieJar {
  private readonly byHost = new Map<string, Map<string, { value: string; secure: boolean }>>();

  private static key(url: URL): string {
    return `${hostOf(url).toLowerCase()}:${url.port}`;
  }

  store(url: URL, setCookie: readonly string[] | undefined): void {
    if (!setCookie?.length) return;
    const key = CookieJar.key(url);
    const jar = this.byHost.get(key) ?? new Map<string, { value: string; secure: boolean }>();
    for (const line of setCookie) {
      if (line.length > MAX_COOKIE_BYTES) continue;
      const [pair = '', ...attributes] = line.split(';');
      const eq = pair.indexOf('=');
      if (eq <= 0) continue;
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const attrs = attributes.map((a) => a.trim().toLowerCase());
      const expired =
        attrs.some((a) => /^max-age=\s*(-\d+|0)$/.test(a)) ||
        attrs.some((a) => a.startsWith('expires=') && Date.parse(a.slice(8)) < Date.now());
      if (expired) jar.delete(name);
      else if (jar.has(name) || jar.size < MAX_COOKIES_PER_HOST) jar.set(name, { value, secure: attrs.includes('secure') });
    }
    this.byHost.set(key, jar);
  }

  header(url: URL): string | undefined {
    const jar = this.byHost.get(CookieJar.key(url));
    if (!jar) return undefined;
    const https = url.protocol === 'https:';
    const pairs = [...jar].filter(([, c]) => https || !c.secure).map(([name, c]) => `${name}=${c.value}`);
    return pairs.length ? pairs.join('; ') : undefined;
  }
}
