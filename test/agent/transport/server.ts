import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export type Handler = (request: RecordedRequest, response: http.ServerResponse) => void | Promise<void>;

export interface TestCollector {
  url: string;
  port: number;
  requests: RecordedRequest[];
  handler: Handler;
  close(): Promise<void>;
}

/** A real HTTP(S) server on 127.0.0.1, standing in for the collector. */
export async function startTestCollector(handler: Handler, options: { port?: number; tls?: { key: string; cert: string } } = {}): Promise<TestCollector> {
  const requests: RecordedRequest[] = [];
  const collector: TestCollector = { url: '', port: 0, requests, handler, close: async () => undefined };
  const listener = (req: http.IncomingMessage, res: http.ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const recorded = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      requests.push(recorded);
      void Promise.resolve(collector.handler(recorded, res)).catch(() => res.destroy());
    });
  };
  const server = options.tls ? https.createServer({ key: options.tls.key, cert: options.tls.cert }, listener) : http.createServer(listener);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  collector.port = port;
  collector.url = `${options.tls ? 'https' : 'http'}://127.0.0.1:${port}`;
  collector.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return collector;
}

export function json(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

export function apiError(res: http.ServerResponse, status: number, code: string, message: string, problems?: { path: string; message: string }[], headers: Record<string, string> = {}): void {
  json(res, status, { error: { code, message, ...(problems ? { problems } : {}) } }, headers);
}

/**
 * An idempotent in-memory ingest endpoint like the collector's: stores each report id
 * once, answers duplicate for a repeat. `stored` counts how often each id was stored.
 */
export function ingestHandler(expectedAuthorization: string, stored: Map<string, number>): Handler {
  return (req, res) => {
    if (req.url !== '/api/v1/reports' || req.method !== 'POST') return apiError(res, 404, 'not-found', 'nope');
    if (req.headers.authorization !== expectedAuthorization) return apiError(res, 401, 'unauthenticated', 'Agentens inloggning saknas eller gäller inte');
    const report = JSON.parse(req.body) as { reportId: string };
    if (stored.has(report.reportId)) return json(res, 200, { reportId: report.reportId, status: 'duplicate' });
    stored.set(report.reportId, (stored.get(report.reportId) ?? 0) + 1);
    return json(res, 201, { reportId: report.reportId, status: 'accepted' });
  };
}
