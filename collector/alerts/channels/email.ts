import { createTransport } from 'nodemailer';
import type { AlertChannelConfig } from '../config.js';
import { deliveryId, renderText } from '../render.js';
import type { Delivery } from '../types.js';
import type { AlertChannel } from './channel.js';

type EmailConfig = Extract<AlertChannelConfig, { kind: 'email' }>;

/**
 * E-mail over SMTP. By default the connection must be upgraded with STARTTLS before
 * anything (the password included) is sent, and the server's certificate is verified.
 */
export function createEmailChannel(config: EmailConfig, secrets: { password?: string | undefined; ca?: Buffer | undefined }, options: { timeZone?: string | undefined } = {}): AlertChannel {
  const timeout = config.timeoutSeconds * 1000;
  const transport = createTransport({
    host: config.host,
    port: config.port,
    secure: config.security === 'tls',
    requireTLS: config.security === 'starttls',
    ignoreTLS: config.security === 'none',
    auth: config.username ? { user: config.username, pass: secrets.password ?? '' } : undefined,
    tls: { ca: secrets.ca, rejectUnauthorized: true, minVersion: 'TLSv1.2' },
    connectionTimeout: timeout,
    greetingTimeout: timeout,
    socketTimeout: timeout,
    disableFileAccess: true,
    disableUrlAccess: true,
  });
  return {
    id: config.id,
    kind: 'email',
    async send(delivery: Delivery) {
      const text = renderText(delivery.payload, options.timeZone);
      await transport.sendMail({
        from: config.from,
        to: config.to,
        subject: text.subject,
        text: text.body,
        headers: { 'Auto-Submitted': 'auto-generated', 'X-Basvakt-Alert-Id': deliveryId(delivery), 'X-Basvakt-Alert-Kind': delivery.payload.kind, 'Content-Language': 'sv, en' },
      });
    },
    async close() {
      transport.close();
    },
  };
}
