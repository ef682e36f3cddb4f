import { createSocket, type Socket } from 'node:dgram';

/**
 * A UDP relay on 127.0.0.1 in front of an SNMP agent that forwards the first `limit`
 * requests and then goes silent: a switch that stops answering in the middle of a walk.
 * With limit 0 it never answers (a switch that is down).
 */
export interface UdpProxy {
  port: number;
  forwarded: number;
  close(): Promise<void>;
}

export async function startUdpProxy(upstreamPort: number, limit: number): Promise<UdpProxy> {
  const front = createSocket('udp4');
  const upstreams = new Map<string, Socket>();
  const state = { forwarded: 0 };
  front.on('message', (msg, from) => {
    if (state.forwarded >= limit) return;
    state.forwarded++;
    const key = `${from.address}:${from.port}`;
    let up = upstreams.get(key);
    if (!up) {
      up = createSocket('udp4');
      up.on('message', (reply) => front.send(reply, from.port, from.address));
      upstreams.set(key, up);
    }
    up.send(msg, upstreamPort, '127.0.0.1');
  });
  await new Promise<void>((resolve) => front.bind(0, '127.0.0.1', resolve));
  return {
    port: front.address().port,
    get forwarded() {
      return state.forwarded;
    },
    async close() {
      for (const up of upstreams.values()) up.close();
      await new Promise<void>((resolve) => front.close(() => resolve()));
    },
  };
}
