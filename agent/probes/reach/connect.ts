import { Socket } from 'node:net';

export type ConnectOutcome = 'open' | 'closed' | 'filtered' | 'error';

export interface ConnectResult {
  outcome: ConnectOutcome;
  ms: number;
  detail: string | null;
}

const FILTERED_CODES = new Set(['EHOSTUNREACH', 'ENETUNREACH', 'EACCES', 'EPERM']);

/**
 * One TCP connect: open (handshake completed; closed again at once), closed (RST), filtered
 * (no answer before the timeout, or an ICMP unreachable), error (anything else). No byte is sent.
 */
export function tcpConnect(host: string, port: number, timeoutMs: number): Promise<ConnectResult> {
  const started = performance.now();
  return new Promise((resolve) => {
    const socket = new Socket();
    let settled = false;
    const done = (outcome: ConnectOutcome, detail: string | null) => {
      if (settled) return;
      settled = true;
      socket.destroy();
      resolve({ outcome, ms: Math.round((performance.now() - started) * 10) / 10, detail });
    };
    socket.setTimeout(timeoutMs, () => done('filtered', `inget svar inom ${timeoutMs} ms (no answer)`));
    socket.once('connect', () => done('open', null));
    socket.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'ECONNREFUSED') done('closed', 'ECONNREFUSED');
      else if (error.code && FILTERED_CODES.has(error.code)) done('filtered', error.code);
      else done('error', error.code ?? error.message);
    });
    socket.connect({ host, port });
  });
}
