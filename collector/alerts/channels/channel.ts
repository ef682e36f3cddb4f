import type { Delivery } from '../types.js';

/** A way out for alerts. `send` resolves once the receiver has taken the alert, and throws otherwise. */
export interface AlertChannel {
  readonly id: string;
  readonly kind: 'webhook' | 'email' | 'syslog';
  send(delivery: Delivery): Promise<void>;
  close(): Promise<void>;
}

/** A message safe to store and log: no secrets, one line, bounded. */
export function describeError(error: unknown): string {
  const e = error as { code?: unknown; message?: unknown };
  const message = typeof e?.message === 'string' ? e.message : String(error);
  const code = typeof e?.code === 'string' ? `${e.code}: ` : '';
  return `${code}${message}`.replace(/\s+/g, ' ').slice(0, 500);
}
