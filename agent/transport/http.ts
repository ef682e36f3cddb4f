import http from 'node:http';
import https from 'node:https';

export interface HttpResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export interface PostOptions {
  headers: Record<string, string>;
  timeoutMs: number;
  agent: http.Agent;
  maxResponseBytes?: number;
}

/** The request never got an HTTP answer: connection failed, timed out or broke off. */
export class NetworkError extends Error {
  constructor(
    message: string,
    readonly code: string | undefined,
    readonly timedOut: boolean,
  ) {
    super(message);
    this.name = 'NetworkError';
  }
}

const MAX_RESPONSE_BYTES = 1024 * 1024;

const CERTIFICATE_CODES = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

/** A Swedish description of a connection failure; never includes headers or body. */
export function describeNetworkError(code: string | undefined, fallback: string): string {
  switch (code) {
    case 'ECONNREFUSED':
      return 'anslutningen nekades (connection refused)';
    case 'ECONNRESET':
    case 'EPIPE':
      return 'anslutningen bröts (connection reset)';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `namnet kunde inte slås upp (${code}) (DNS lookup failed)`;
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return `nätet eller värden går inte att nå (${code}) (unreachable)`;
    default:
      if (code && CERTIFICATE_CODES.has(code)) {
        return `insamlarens certifikat kunde inte verifieras (${code}) — ange CA-certifikatet i collector.caFile (certificate not trusted)`;
      }
      return code ? `${fallback} (${code})` : fallback;
  }
}

/** POSTs a JSON body and resolves with any HTTP answer; rejects with NetworkError otherwise. */
export function postJson(url: URL, body: string, options: PostOptions): Promise<HttpResponse> {
  const send = url.protocol === 'https:' ? https.request : http.request;
  const limit = options.maxResponseBytes ?? MAX_RESPONSE_BYTES;
  return new Promise((resolve, reject) => {
    let timedOut = false;
    let settled = false;
    const finish = (action: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      action();
    };
    const request = send(url, {
      method: 'POST',
      agent: options.agent,
      headers: {
        ...options.headers,
        'content-type': 'application/json',
        'content-length': String(Buffer.byteLength(body)),
        accept: 'application/json',
      },
    });
    // One deadline for connect, send and the whole answer, not just socket idleness.
    const deadline = setTimeout(() => {
      timedOut = true;
      request.destroy();
    }, options.timeoutMs);

    request.on('error', (error: NodeJS.ErrnoException) => {
      const message = timedOut
        ? `inget svar inom ${Math.round(options.timeoutMs / 100) / 10} s (timeout)`
        : describeNetworkError(error.code, 'nätverksfel (network error)');
      finish(() => reject(new NetworkError(message, timedOut ? 'ETIMEDOUT' : error.code, timedOut)));
    });
    request.on('response', (response) => {
      const chunks: Buffer[] = [];
      let size = 0;
      response.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > limit) {
          response.destroy();
          finish(() => reject(new NetworkError(`svaret är större än ${limit} byte (response too large)`, 'ERESPONSETOOLARGE', false)));
          return;
        }
        chunks.push(chunk);
      });
      response.on('error', (error: NodeJS.ErrnoException) => {
        const message = timedOut ? 'svaret kom inte fram i tid (timeout)' : describeNetworkError(error.code, 'svaret bröts av (response aborted)');
        finish(() => reject(new NetworkError(message, timedOut ? 'ETIMEDOUT' : error.code, timedOut)));
      });
      response.on('close', () => {
        // Closed before the whole answer arrived; after 'end' this is a no-op.
        if (response.complete) return;
        finish(() => reject(new NetworkError(timedOut ? 'svaret kom inte fram i tid (timeout)' : 'svaret bröts av (response aborted)', timedOut ? 'ETIMEDOUT' : 'ECONNRESET', timedOut)));
      });
      response.on('end', () => {
        finish(() => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks).toString('utf8') }));
      });
    });
    request.end(body);
  });
}

/** Milliseconds to wait according to a Retry-After header (seconds or an HTTP date). */
export function parseRetryAfter(value: string | string[] | undefined, now: Date): number | undefined {
  const text = Array.isArray(value) ? value[0] : value;
  if (!text) return undefined;
  if (/^\s*\d+\s*$/.test(text)) return Number(text) * 1000;
  const date = Date.parse(text);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now.getTime());
}
