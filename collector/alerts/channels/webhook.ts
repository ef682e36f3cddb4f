import { createHmac, timingSafeEqual } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { VERSION } from '../../../common/version.js';
import type { AlertChannelConfig } from '../config.js';
import { deliveryId, renderWebhookBody } from '../render.js';
import type { Delivery } from '../types.js';
import type { AlertChannel } from './channel.js';

export const SIGNATURE_HEADER = 'x-basvakt-signature';
export const TIMESTAMP_HEADER = 'x-basvakt-timestamp';
export const DELIVERY_HEADER = 'x-basvakt-delivery';

/**
 * HMAC-SHA256 over `timestamp.body`. The timestamp is signed too, so a captured request
 * cannot be replayed later with a fresh timestamp.
 */
export function signWebhook(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/** For receivers: checks the signature in constant time and that the timestamp is recent. */
export function verifyWebhookSignature(input: {
  secret: string;
  timestamp: string | undefined;
  body: string;
  signature: string | undefined;
  now?: Date;
  toleranceSeconds?: number;
}): boolean {
  const { secret, timestamp, body, signature } = input;
  if (!timestamp || !signature || !/^\d{1,12}$/.test(timestamp)) return false;
  const nowSeconds = Math.floor((input.now ?? new Date()).getTime() / 1000);
  if (Math.abs(nowSeconds - Number(timestamp)) > (input.toleranceSeconds ?? 300)) return false;
  const expected = Buffer.from(signWebhook(secret, timestamp, body));
  const given = Buffer.from(signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

type WebhookConfig = Extract<AlertChannelConfig, { kind: 'webhook' }>;

export function createWebhookChannel(
  config: WebhookConfig,
  secrets: { secret: string; ca?: Buffer | undefined },
  options: { timeZone?: string | undefined; now?: () => Date } = {},
): AlertChannel {
  const now = options.now ?? (() => new Date());
  return {
    id: config.id,
    kind: 'webhook',
    async send(delivery: Delivery) {
      const sentAt = now();
      const body = renderWebhookBody(delivery, sentAt, options.timeZone);
      const timestamp = String(Math.floor(sentAt.getTime() / 1000));
      await post(config, body, {
        'content-type': 'application/json; charset=utf-8',
        'user-agent': `basvakt/${VERSION}`,
        [TIMESTAMP_HEADER]: timestamp,
        [SIGNATURE_HEADER]: signWebhook(secrets.secret, timestamp, body),
        [DELIVERY_HEADER]: deliveryId(delivery),
      }, secrets.ca);
    },
    async close() {},
  };
}

function post(config: WebhookConfig, body: string, headers: Record<string, string>, ca: Buffer | undefined): Promise<void> {
  const url = new URL(config.url);
  const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'POST',
        headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
        signal: AbortSignal.timeout(config.timeoutSeconds * 1000),
        // The receiver's certificate is always verified; a private CA is added, never a bypass.
        ...(url.protocol === 'https:' ? { ca, rejectUnauthorized: true } : {}),
      },
      (res) => {
        res.resume();
        res.on('end', () => {
          const status = res.statusCode ?? 0;
          if (status >= 200 && status < 300) resolve();
          else reject(new Error(`webhook answered HTTP ${status}`));
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}
