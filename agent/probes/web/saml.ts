import { inflateRawSync } from 'node:zlib';
import { decodeEntities } from './html.js';

export interface AuthnRequestInfo {
  issuer: string | null;
  destination: string | null;
  assertionConsumerServiceUrl: string | null;
  error: string | null;
}

const MAX_XML_BYTES = 256 * 1024;
const BASE64 = /^[A-Za-z0-9+/\s]*={0,2}\s*$/;

function attribute(tag: string, name: string): string | null {
  const m = new RegExp(`\\s${name}\\s*=\\s*("([^"]*)"|'([^']*)')`).exec(tag);
  return m ? decodeEntities(m[2] ?? m[3] ?? '').slice(0, 1024) : null;
}

function failed(error: string): AuthnRequestInfo {
  return { issuer: null, destination: null, assertionConsumerServiceUrl: null, error };
}

/** Reads the AuthnRequest's Issuer, Destination and ACS URL from its XML (no parser: three bounded lookups). */
export function readAuthnRequest(xml: string): AuthnRequestInfo {
  const start = /<(?:[A-Za-z_][\w.-]*:)?AuthnRequest\b[^>]*>/.exec(xml);
  if (!start) {
    const root = /<([A-Za-z_][\w.:-]*)/.exec(xml)?.[1];
    return failed(root ? `inte en AuthnRequest utan ${root.slice(0, 64)} (not an AuthnRequest)` : 'ingen XML (no XML)');
  }
  const issuer = /<(?:[A-Za-z_][\w.-]*:)?Issuer\b[^>]*>([^<]{0,1024})<\//.exec(xml.slice(start.index));
  return {
    issuer: issuer ? decodeEntities(issuer[1]!.trim()).slice(0, 256) : null,
    destination: attribute(start[0], 'Destination'),
    assertionConsumerServiceUrl: attribute(start[0], 'AssertionConsumerServiceURL'),
    error: null,
  };
}

/**
 * A SAMLRequest as the bindings carry it: HTTP-Redirect deflates then base64-encodes
 * (SAML bindings §3.4.4.1), HTTP-POST only base64-encodes (§3.5.4). Anything else gives
 * the reason in `error`, never an exception.
 */
export function decodeSamlRequest(value: string, binding: 'HTTP-Redirect' | 'HTTP-POST'): AuthnRequestInfo {
  if (value.length > MAX_XML_BYTES * 2 || !BASE64.test(value)) return failed('SAMLRequest är inte base64 (SAMLRequest is not base64)');
  const bytes = Buffer.from(value, 'base64');
  if (bytes.length === 0) return failed('SAMLRequest är tom (SAMLRequest is empty)');
  let xml: string;
  if (binding === 'HTTP-POST' && bytes.subarray(0, 64).toString('latin1').trimStart().startsWith('<')) {
    xml = bytes.toString('utf8');
  } else {
    try {
      xml = inflateRawSync(bytes, { maxOutputLength: MAX_XML_BYTES }).toString('utf8');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? 'inflate';
      return failed(`SAMLRequest går inte att packa upp (SAMLRequest does not inflate) [${code}]`);
    }
  }
  return readAuthnRequest(xml);
}
