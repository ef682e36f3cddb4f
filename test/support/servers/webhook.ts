import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type RequestListener, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';

/**
 * A webhook receiver on 127.0.0.1 that checks the signature the way an integrator would,
 * written from the documented contract (not with basvakt's own code): HMAC-SHA256 over
 * `<X-Basvakt-Timestamp>.<raw body>` with the shared secret, as `sha256=<hex>`, and a
 * timestamp at most five minutes old. Valid requests get 204, others 401.
 */
export interface WebhookRequest {
  headers: Record<string, string | string[] | undefined>;
  raw: string;
  body: unknown;
}

export interface WebhookReceiver {
  port: number;
  url: string;
  accepted: WebhookRequest[];
  rejected: WebhookRequest[];
  close(): Promise<void>;
}

export function verify(secret: string, timestamp: string | undefined, raw: string, signature: string | undefined, now = Date.now()): boolean {
  if (!timestamp || !signature) return false;
  if (Math.abs(now / 1000 - Number(timestamp)) > 300) return false;
  const expected = Buffer.from(`sha256=${createHmac('sha256', secret).update(`${timestamp}.${raw}`).digest('hex')}`);
  const given = Buffer.from(signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

export function startWebhookReceiver(secret: string, port = 0, tls?: { key: Buffer; cert: Buffer }): Promise<WebhookReceiver> {
  const accepted: WebhookRequest[] = [];
  const rejected: WebhookRequest[] = [];
  const handler: RequestListener = (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const header = (name: string) => {
        const v = req.headers[name];
        return Array.isArray(v) ? v[0] : v;
      };
      let body: unknown = null;
      try {
        body = JSON.parse(raw);
      } catch {
        /* stays null */
      }
      const entry = { headers: req.headers, raw, body };
      if (req.method === 'POST' && verify(secret, header('x-basvakt-timestamp'), raw, header('x-basvakt-signature'))) {
        accepted.push(entry);
        res.writeHead(204).end();
      } else {
        rejected.push(entry);
        res.writeHead(401).end();
      }
    });
  };
  const server: Server = tls ? createHttpsServer(tls, handler) : createServer(handler);
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      const address = server.address();
      const bound = typeof address === 'object' && address ? address.port : port;
      resolve({
        port: bound,
        url: `${tls ? 'https' : 'http'}://${tls ? 'localhost' : '127.0.0.1'}:${bound}/hook`,
        accepted,
        rejected,
        close: () =>
          new Promise<void>((r) => {
            server.closeAllConnections();
            server.close(() => r());
          }),
      });
    });
  });
}
