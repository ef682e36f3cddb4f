import { createServer, type Server } from 'node:net';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tcpConnect } from '../../../../agent/probes/reach/connect.js';
import { createReachProbe } from '../../../../agent/probes/reach/index.js';

describe('reach probe', () => {
  let server: Server;
  let open: number;
  let closed: number;
  beforeAll(async () => {
    server = createServer((s) => s.destroy());
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    open = (server.address() as { port: number }).port;
    const tmp = createServer();
    await new Promise<void>((r) => tmp.listen(0, '127.0.0.1', r));
    closed = (tmp.address() as { port: number }).port;
    await new Promise<void>((r) => tmp.close(() => r()));
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('classifies open and closed', async () => {
    expect((await tcpConnect('127.0.0.1', open, 500)).outcome).toBe('open');
    expect(await tcpConnect('127.0.0.1', closed, 500)).toMatchObject({ outcome: 'closed', detail: 'ECONNREFUSED' });
  });

  it('probes only the declared targets, at most ratePerSecond attempts per second', async () => {
    const probe = createReachProbe({ zone: 'PED', segment: 'test', targets: [{ host: '127.0.0.1', zone: 'ADM', ports: [open, closed, open] }], ratePerSecond: 10, timeoutMs: 500 });
    const started = performance.now();
    const [target] = await probe.collect({ exec: null as never, readFile: null as never, now: () => new Date(), logger: pino({ level: 'silent' }) });
    // Two distinct ports at 10/s: the second starts no earlier than 100 ms after the first.
    expect(performance.now() - started).toBeGreaterThanOrEqual(95);
    expect(target).toMatchObject({ kind: 'segment', id: 'test' });
    const fact = target!.facts[0]!;
    expect(fact.status).toBe('ok');
    const value = (fact as { value: { zone: string; probes: { port: number; outcome: string }[] } }).value;
    expect(value.zone).toBe('PED');
    expect(value.probes.map((p) => [p.port, p.outcome])).toEqual([
      [open, 'open'],
      [closed, 'closed'],
    ]);
  });
});
