import type { TlsValue } from '../../../report/facts/web.js';

/**
 * Strict-Transport-Security as a browser reads it (RFC 6797 §6.1): the first header only,
 * directives separated by ";", names without case, max-age as delta-seconds (maybe quoted).
 * A header without a valid max-age is kept with maxAge null: present but ineffective.
 */
export function parseHsts(header: string | string[] | undefined): TlsValue['hsts'] {
  if (header === undefined) return null;
  const first = (Array.isArray(header) ? header[0] : header.split(',')[0]) ?? '';
  let maxAge: number | null = null;
  let includeSubDomains = false;
  let preload = false;
  for (const part of first.split(';')) {
    const [rawName = '', ...rest] = part.split('=');
    const name = rawName.trim().toLowerCase();
    const value = rest.join('=').trim().replace(/^"(.*)"$/, '$1');
    if (name === 'max-age' && maxAge === null && /^\d{1,12}$/.test(value)) maxAge = Number(value);
    else if (name === 'includesubdomains') includeSubDomains = true;
    else if (name === 'preload') preload = true;
  }
  return { maxAge, includeSubDomains, preload, header: first.trim().slice(0, 256) };
}
