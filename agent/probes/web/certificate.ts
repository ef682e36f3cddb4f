import { checkServerIdentity, type DetailedPeerCertificate, type TLSSocket } from 'node:tls';
import type { CertificateValue } from '../../../report/facts/web.js';

const MAX_CHAIN = 10;
const DAY_MS = 86_400_000;

/** "CN=login.kommun.se, O=Kommunen" from Node's subject object (a value may be a list). */
function distinguishedName(fields: Record<string, string | string[]> | undefined): string {
  if (!fields) return '';
  return Object.entries(fields)
    .flatMap(([key, value]) => (Array.isArray(value) ? value : [value]).map((v) => `${key}=${v}`))
    .join(', ')
    .slice(0, 256);
}

function isoDate(text: string): string {
  const time = Date.parse(text);
  return Number.isNaN(time) ? new Date(0).toISOString() : new Date(time).toISOString();
}

/**
 * What the server's certificate says and whether it can be trusted: the chain against the
 * trust anchors the socket was given (authorized), and the host name on its own, so that a
 * valid certificate for the wrong name and a wrong chain are told apart.
 */
export function describeCertificate(socket: TLSSocket, host: string, now: Date): CertificateValue | null {
  // An empty object when the server sent no certificate.
  const leaf: DetailedPeerCertificate | undefined = socket.getPeerCertificate(true);
  if (!leaf?.raw) return null;
  const chain: string[] = [];
  let cert: DetailedPeerCertificate | undefined = leaf;
  while (cert && chain.length < MAX_CHAIN) {
    chain.push(distinguishedName(cert.subject as unknown as Record<string, string | string[]>));
    const next: DetailedPeerCertificate | undefined = cert.issuerCertificate;
    if (!next || next === cert || next.fingerprint256 === cert.fingerprint256) break;
    cert = next;
  }
  const subject = distinguishedName(leaf.subject as unknown as Record<string, string | string[]>);
  const issuer = distinguishedName(leaf.issuer as unknown as Record<string, string | string[]>);
  const notAfter = isoDate(leaf.valid_to);
  const sans = (leaf.subjectaltname ?? '')
    .split(/,\s*/)
    .filter(Boolean)
    .slice(0, 200)
    .map((s) => s.slice(0, 256));
  const authError = socket.authorizationError as unknown as string | Error | null | undefined;
  return {
    subject,
    issuer,
    subjectAltNames: sans,
    notBefore: isoDate(leaf.valid_from),
    notAfter,
    daysToExpiry: Math.round(((Date.parse(notAfter) - now.getTime()) / DAY_MS) * 10) / 10,
    chainValid: socket.authorized,
    chainError: socket.authorized ? null : String(authError instanceof Error ? authError.message : (authError ?? 'okänt fel (unknown error)')).slice(0, 256),
    hostnameMatch: checkServerIdentity(host, leaf) === undefined,
    selfSigned: leaf.issuerCertificate === undefined ? subject === issuer : leaf.issuerCertificate.fingerprint256 === leaf.fingerprint256,
    fingerprintSha256: leaf.fingerprint256.slice(0, 256),
    keyBits: typeof leaf.bits === 'number' ? leaf.bits : null,
    chain,
  };
}
