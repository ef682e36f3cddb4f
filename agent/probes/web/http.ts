import { request as httpRequest, type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP } from 'node:net';
import { ProbeFailure } from './errors.js';

export interface HttpResponse {
  status: number;
  headers: IncomingHttpHeaders;
  /** Read only when asked for; never longer than the cap. */
  body: Buffer | null;
}

export interface FetchOptions {
  timeoutMs: number;
  maxBodyBytes: number;
  maxHeaderBytes: number;
  userAgent: string;
  cookie?: string;
  /** Whether to read the body, decided on the status and headers. */
  wantBody: (status: number, headers: IncomingHttpHeaders) => boolean;
}

/**
 * The page is loaded whatever its TLS is like (TLS 1.0, a bad certificate), so that SSO can
 * still be observed; the TLS fact reports the weaknesses.
 */
const LENIENT_TLS = { rejectUnauthorized: false, minVersion: 'TLSv1', ciphers: 'DEFAULT:@SECLEVEL=0' } as const;

export function hostOf(url: URL): string {
  return url.hostname.replace(/^\[|\]$/g, '');
}

/**
 * One GET, no redirects followed, nothing decompressed (identity asked for), the whole
 * exchange within the timeout. The certificate is not verified here: the probe sends no
 * credentials, and the TLS fact judges the certificate on its own.
 */
export function fetchOnce(url: URL, options: FetchOptions): Promise<HttpResponse> {
  return new Promise<HttpResponse>((resolve, reject) => {
    const host = hostOf(url);
    const headers: Record<string, string> = {
      'User-Agent': options.userAgent,
      Accept: 'text/html,application/xhtml+xml;q=0.9,*/*;q=0.5',
      'Accept-Encoding': 'identity',
      ...(options.cookie ? { Cookie: options.cookie } : {}),
    };
    const common = { method: 'GET', headers, agent: false as const, maxHeaderSize: options.maxHeaderBytes, timeout: options.timeoutMs };
    let settled = false;
    const fail = (error: Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      req.destroy();
      reject(error);
    };
    const req =
      url.protocol === 'https:'
        ? httpsRequest(url, { ...common, ...LENIENT_TLS, ...(isIP(host) ? {} : { servername: host }) })
        : httpRequest(url, common);
    const deadline = setTimeout(
      () => fail(new ProbeFailure(`inget fullständigt svar inom ${options.timeoutMs} ms (no complete answer in time)`, 'ETIMEDOUT')),
      options.timeoutMs,
    );
    req.on('timeout', () => fail(new ProbeFailure(`servern tystnade i ${options.timeoutMs} ms (server went silent)`, 'ETIMEDOUT')));
    req.on('error', fail);
    req.on('response', (res: IncomingMessage) => {
      const status = res.statusCode ?? 0;
      const done = (body: Buffer | null) => {
        if (settled) return;
        settled = true;
        clearTimeout(deadline);
        res.destroy();
        resolve({ status, headers: res.headers, body });
      };
      if (!options.wantBody(status, res.headers)) {
        done(null);
        return;
      }
      const declared = Number(res.headers['content-length']);
      const tooLarge = () =>
        fail(new ProbeFailure(`svaret är större än ${Math.round(options.maxBodyBytes / 1024)} KiB (response body too large)`, 'EBODYTOOLARGE'));
      if (Number.isFinite(declared) && declared > options.maxBodyBytes) {
        tooLarge();
        return;
      }
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > options.maxBodyBytes) tooLarge();
        else chunks.push(chunk);
      });
      res.on('end', () => done(Buffer.concat(chunks)));
      res.on('error', fail);
      res.on('aborted', () => fail(new ProbeFailure('servern avbröt svaret (server aborted the response)', 'ECONNRESET')));
    });
    req.end();
  });
}
