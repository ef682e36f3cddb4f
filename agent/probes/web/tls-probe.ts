import { connect as netConnect, isIP, type Socket } from 'node:net';
import { connect as tlsConnect, createSecureContext, type SecureContext, type TLSSocket } from 'node:tls';
import { TLS_VERSIONS, type CertificateValue, type TlsVersion } from '../../../report/facts/web.js';
import { describeCertificate } from './certificate.js';
import { describeNetworkError, handshakeCode, ProbeFailure } from './errors.js';

/** Run on a fresh plain connection before the handshake: an SMTP or LDAP STARTTLS exchange. */
export type Preamble = (socket: Socket, timeoutMs: number) => Promise<void>;

/** The server said it will not start TLS (STARTTLS not advertised, StartTLS refused). */
export class NoTls extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'NoTls';
  }
}

export interface TlsTarget {
  host: string;
  port: number;
  preamble?: Preamble;
}

export interface VersionAttempt {
  version: TlsVersion;
  offered: boolean;
  cipher: string | null;
  detail: string | null;
}

export interface TlsInspection {
  versions: VersionAttempt[];
  offered: TlsVersion[];
  certificate: CertificateValue | null;
  /** Why the server would not start TLS at all; then versions is empty. */
  noTls: string | null;
}

export interface TlsInspectOptions {
  timeoutMs: number;
  /** One per version, made once per run by tlsContexts(). */
  contexts: Record<TlsVersion, SecureContext>;
  now: () => Date;
}

/**
 * Legacy versions are only negotiable when the client lowers OpenSSL's security level;
 * without it TLS 1.0 would look "not offered" — a false pass (TEST-SERVERS.md Part 2 §3).
 */
const ALL_CIPHERS = 'DEFAULT:@SECLEVEL=0';

/**
 * A context per pinned version with the trust anchors loaded once: parsing a few hundred CA
 * certificates takes about 70 ms, too much to repeat for every handshake.
 */
export function tlsContexts(ca: string[]): Record<TlsVersion, SecureContext> {
  return Object.fromEntries(
    TLS_VERSIONS.map((version) => [version, createSecureContext({ ca, minVersion: version, maxVersion: version, ciphers: ALL_CIPHERS })]),
  ) as Record<TlsVersion, SecureContext>;
}

export function connectPlain(host: string, port: number, timeoutMs: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = netConnect({ host, port });
    const fail = (error: Error) => {
      socket.destroy();
      reject(new ProbeFailure(`${host}:${port}: ${describeNetworkError(error)}`, (error as NodeJS.ErrnoException).code));
    };
    socket.setTimeout(timeoutMs, () => fail(new ProbeFailure(`inget svar inom ${timeoutMs} ms (no answer in time)`, 'ETIMEDOUT')));
    socket.once('error', fail);
    socket.once('connect', () => {
      socket.setTimeout(0);
      socket.removeListener('error', fail);
      resolve(socket);
    });
  });
}

type Handshake = { ok: true; socket: TLSSocket } | { ok: false; detail: string };

/** One handshake pinned to one version over an already connected (and possibly upgraded) socket. */
function handshake(socket: Socket, host: string, version: TlsVersion, options: TlsInspectOptions): Promise<Handshake> {
  return new Promise((resolve, reject) => {
    const tls = tlsConnect({
      socket,
      secureContext: options.contexts[version],
      rejectUnauthorized: false,
      // The chain alone decides `authorized`; the host name is checked separately.
      checkServerIdentity: () => undefined,
      ...(isIP(host) ? {} : { servername: host }),
    });
    let settled = false;
    const finish = (fn: () => void) => {
      if (settled) return;
      settled = true;
      tls.setTimeout(0);
      fn();
    };
    tls.setTimeout(options.timeoutMs, () =>
      finish(() => {
        tls.destroy();
        reject(new ProbeFailure(`${version}: ingen handskakning inom ${options.timeoutMs} ms (handshake timed out)`, 'ETIMEDOUT'));
      }),
    );
    tls.once('secureConnect', () => finish(() => resolve({ ok: true, socket: tls })));
    tls.once('error', (error) =>
      finish(() => {
        tls.destroy();
        const code = handshakeCode(error);
        if (/LEGACY_SIGALG/i.test(code)) {
          reject(new ProbeFailure(`proben är felinställd: ${version} avvisades av klienten själv (probe misconfigured: client refused legacy signature algorithms) [${code}]`, code));
        } else resolve({ ok: false, detail: code });
      }),
    );
  });
}

/**
 * Which TLS versions the server accepts, one pinned at a time on a fresh connection each,
 * and the certificate from the highest one. A failed handshake means "not offered"; a
 * connection that cannot be made, a timeout or a misconfigured client is an error, never
 * "not offered".
 */
export async function inspectTls(target: TlsTarget, options: TlsInspectOptions): Promise<TlsInspection> {
  const versions: VersionAttempt[] = [];
  let certificate: CertificateValue | null = null;
  for (const version of TLS_VERSIONS) {
    const socket = await connectPlain(target.host, target.port, options.timeoutMs);
    try {
      if (target.preamble) {
        try {
          await target.preamble(socket, options.timeoutMs);
        } catch (error) {
          if (error instanceof NoTls) return { versions: [], offered: [], certificate: null, noTls: error.message };
          throw error;
        }
      }
      const result = await handshake(socket, target.host, version, options);
      if (result.ok) {
        const cipher = result.socket.getCipher()?.name ?? null;
        certificate = describeCertificate(result.socket, target.host, options.now());
        result.socket.destroy();
        versions.push({ version, offered: true, cipher, detail: null });
      } else {
        versions.push({ version, offered: false, cipher: null, detail: result.detail });
      }
    } finally {
      socket.destroy();
    }
  }
  return { versions, offered: versions.filter((v) => v.offered).map((v) => v.version), certificate, noTls: null };
}
