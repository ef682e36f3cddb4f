import { connect, type Socket } from 'node:net';

export type ClamdEndpoint = { kind: 'unix'; path: string } | { kind: 'tcp'; host: string; port: number };

/** Sends one command to clamd and returns its reply; rejects on connect error or timeout. */
export type ClamdQuery = (endpoint: ClamdEndpoint, command: string, timeoutMs: number) => Promise<string>;

export function describeEndpoint(endpoint: ClamdEndpoint): string {
  return endpoint.kind === 'unix' ? `unix:${endpoint.path}` : `${endpoint.host}:${endpoint.port}`;
}

/** clamd's null-terminated command form (`zVERSION\0`): the reply ends with \0 too. */
export const queryClamd: ClamdQuery = (endpoint, command, timeoutMs) =>
  new Promise((resolve, reject) => {
    const socket: Socket =
      endpoint.kind === 'unix' ? connect({ path: endpoint.path }) : connect({ host: endpoint.host, port: endpoint.port });
    const chunks: Buffer[] = [];
    let settled = false;
    const finish = (error: Error | null): void => {
      if (settled) return;
      settled = true;
      socket.destroy();
      if (error) reject(error);
      else resolve(Buffer.concat(chunks).toString('utf8').replace(/\0/g, '').trim());
    };
    socket.setTimeout(timeoutMs, () => finish(new Error(`no reply from clamd within ${timeoutMs} ms`)));
    socket.on('connect', () => socket.write(`z${command}\0`));
    socket.on('data', (chunk) => {
      chunks.push(chunk);
      if (chunk.includes(0)) finish(null);
    });
    socket.on('end', () => finish(null));
    socket.on('error', (error) => finish(error));
  });
