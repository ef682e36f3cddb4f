import type { SecureContext } from 'node:tls';
import type { TlsVersion } from '../../../report/facts/web.js';

/** What every part of the web probe needs, set once per run. */
export interface WebContext {
  timeoutMs: number;
  maxRedirects: number;
  maxBodyBytes: number;
  maxHeaderBytes: number;
  userAgent: string;
  /** Per TLS version, with the trust anchors: Node's roots, the system's bundle and the configured CA file. */
  tlsContexts: Record<TlsVersion, SecureContext>;
  now: () => Date;
}
