import { readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Sender } from '../../../agent/runtime/sender.js';
import { Spool } from '../../../agent/spool/index.js';
import { CollectorClient } from '../../../agent/transport/index.js';
import { bearerToken, type AgentCredential } from '../../../report/api.js';
import type { Report } from '../../../report/schema.js';
import { sampleReport, tempDir } from '../spool/reports.js';
import { captureLogger } from '../transport/logs.js';
import { apiError, ingestHandler, json, startTestCollector, type TestCollector } from '../transport/server.js';
import { ManualTimers, deferred } from './helpers.js';

const SECRET = 'S3cr3t-Value-That-Must-Never-Leak-0123456789';

describe('Sender', () => {
  let dir: string;
  let server: TestCollector;
  let spool: Spool;
  let client: CollectorClient;
  let timers: ManualTimers;
  let credential: AgentCredential;
  let stored: Map<string, number>;
  const logs = captureLogger();

  beforeEach(async () => {
    dir = await tempDir('sender');
    stored = new Map();
    credential = { collectorUrl: 'http://127.0.0.1', agentId: 'agent-1', secret: SECRET, tenant: 'dals-ed', enrolledAt: '2026-11-23T04:00:00.000Z' };
    server = await startTestCollector(ingestHandler(bearerToken(credential), stored));
    spool = await Spool.open({ directory: dir, maxBytes: 10 * 1024 * 1024, maxReports: 100 });
    client = new CollectorClient({ url: server.url, timeoutMs: 2_000 });
    timers = new ManualTimers();
  });
  afterEach(async () => {
    client.close();
    await server.close();
    await rm(dir, { recursive: true, force: true });
    expect(logs.text()).not.toContain(SECRET);
  });

  const newSender = () => new Sender({ spool, client, credential: async () => credential, timers, logger: logs.logger, backoff: { random: () => 1 } });
  const posted = () => server.requests.filter((r) => r.url === '/api/v1/reports').map((r) => (JSON.parse(r.body) as Report).reportId);
  async function putAll(count: number): Promise<Report[]> {
    const reports = Array.from({ length: count }, () => sampleReport());
    for (const r of [...reports].reverse()) await spool.put(r);
    return reports;
  }

  it('drains the spool oldest first and removes each report once acknowledged', async () => {
    const reports = await putAll(4);
    const result = await newSender().drain();
    expect(result).toEqual({ outcome: 'drained', delivered: 4, rejected: 0 });
    expect(posted()).toEqual(reports.map((r) => r.reportId));
    expect(await spool.list()).toEqual([]);
    expect(timers.delays()).toEqual([]);
  });

  it('removes a report the collector already had (duplicate)', async () => {
    const [report] = await putAll(1);
    stored.set(report!.reportId, 1);
    expect(await newSender().drain()).toMatchObject({ outcome: 'drained', delivered: 1 });
    expect(await spool.list()).toEqual([]);
  });

  it('stops the round on retry; backoff grows 5 s, 10 s, 20 s and resets after a success', async () => {
    const reports = await putAll(2);
    const healthy = server.handler;
    server.handler = (_req, res) => apiError(res, 503, 'unavailable', 'underhåll');
    const sender = newSender();

    expect(await sender.drain()).toEqual({ outcome: 'retry', delivered: 0, rejected: 0, retryInMs: 5_000 });
    expect(timers.delays()).toEqual([5_000]);
    expect(sender.state).toBe('waiting');
    timers.fireAll();
    expect((await sender.drain()).retryInMs).toBe(10_000);
    timers.fireAll();
    expect((await sender.drain()).retryInMs).toBe(20_000);
    expect(posted()).toEqual([reports[0]!.reportId, reports[0]!.reportId, reports[0]!.reportId]); // the round stopped at the first failure each time
    expect(await spool.list()).toHaveLength(2);

    server.handler = healthy;
    timers.fireAll();
    expect(await sender.drain()).toMatchObject({ outcome: 'drained', delivered: 2 });
    expect(timers.delays()).toEqual([]);
    expect(sender.state).toBe('idle');

    await spool.put(sampleReport());
    server.handler = (_req, res) => apiError(res, 502, 'bad-gateway', 'proxy');
    expect((await sender.drain()).retryInMs).toBe(5_000);
  });

  it('waits as long as Retry-After asks', async () => {
    await putAll(1);
    server.handler = (_req, res) => apiError(res, 429, 'slow-down', 'vänta', undefined, { 'retry-after': '120' });
    expect((await newSender().drain()).retryInMs).toBe(120_000);
  });

  it('a trigger cuts a backoff wait short', async () => {
    await putAll(1);
    const healthy = server.handler;
    server.handler = (_req, res) => apiError(res, 503, 'unavailable', 'underhåll');
    const sender = newSender();
    await sender.drain();
    expect(timers.delays()).toEqual([5_000]);
    server.handler = healthy;
    sender.trigger();
    expect(timers.delays()).toEqual([]);
    expect(await sender.drain()).toMatchObject({ outcome: 'drained' });
    expect(await spool.list()).toEqual([]);
  });

  it('moves a refused report to rejected/ with the reason and carries on with the next', async () => {
    const [bad, good] = await putAll(2);
    const healthy = server.handler;
    server.handler = (req, res) => {
      if ((JSON.parse(req.body) as Report).reportId === bad!.reportId) {
        return apiError(res, 422, 'invalid-report', 'Rapporten följer inte rapportformatet', [{ path: 'targets[0].facts[0].value', message: 'saknas' }]);
      }
      return healthy(req, res);
    };
    expect(await newSender().drain()).toEqual({ outcome: 'drained', delivered: 1, rejected: 1 });
    expect(stored.has(good!.reportId)).toBe(true);
    const rejected = await readdir(join(dir, 'rejected'));
    const reasonFile = rejected.find((f) => f.endsWith('.reason.txt'))!;
    expect(reasonFile).toContain(bad!.reportId);
    const reason = await readFile(join(dir, 'rejected', reasonFile), 'utf8');
    expect(reason).toContain('HTTP 422: Rapporten följer inte rapportformatet');
    expect(reason).toContain('targets[0].facts[0].value: saknas');
    expect(logs.text()).toContain('Insamlaren avvisade rapporten (HTTP 422)');
  });

  it('on unauthorized stops, keeps every report, and waits for a new credential', async () => {
    const reports = await putAll(2);
    const good = credential;
    credential = { ...credential, secret: 'an-old-secret-no-longer-valid-000' };
    const sender = newSender();
    expect(await sender.drain()).toEqual({ outcome: 'unauthorized', delivered: 0, rejected: 0 });
    expect(sender.state).toBe('unauthorized');
    expect(timers.delays()).toEqual([]);
    expect(await spool.list()).toHaveLength(2);
    expect(logs.text()).toContain('registrera agenten på nytt');

    // Same credential: no request is made.
    const before = server.requests.length;
    expect((await sender.drain()).outcome).toBe('unauthorized');
    expect(server.requests.length).toBe(before);

    // After re-enrollment the next trigger sends everything.
    credential = good;
    expect(await sender.drain()).toMatchObject({ outcome: 'drained', delivered: 2 });
    expect([...stored.keys()]).toEqual(reports.map((r) => r.reportId));
  });

  it('keeps reports of a previous enrollment for a human instead of sending them under the new credential', async () => {
    await spool.put(sampleReport({ agent: { id: 'old-agent', version: '0.1.0', hostname: 'web01' } }));
    const current = (await putAll(1))[0]!;
    expect(await newSender().drain()).toEqual({ outcome: 'drained', delivered: 1, rejected: 1 });
    expect([...stored.keys()]).toEqual([current.reportId]);
    const reason = (await readdir(join(dir, 'rejected'))).find((f) => f.endsWith('.reason.txt'))!;
    expect(await readFile(join(dir, 'rejected', reason), 'utf8')).toContain('old-agent');
  });

  it('without a credential, logs why and tries again later', async () => {
    await putAll(1);
    const sender = new Sender({
      spool,
      client,
      credential: async () => {
        throw new Error('Agenten är inte registrerad');
      },
      timers,
      logger: logs.logger,
      backoff: { random: () => 1 },
    });
    expect(await sender.drain()).toMatchObject({ outcome: 'no-credential', retryInMs: 5_000 });
    expect(server.requests).toHaveLength(0);
    expect(logs.text()).toContain('Agenten är inte registrerad');
  });

  it('loses and duplicates nothing when the collector dies mid-run and comes back', async () => {
    const reports = await putAll(5);
    const port = server.port;
    const healthy = ingestHandler(bearerToken(credential), stored);
    let calls = 0;
    // The third report is stored, then the collector dies before it can answer.
    server.handler = (req, res) => {
      calls += 1;
      if (calls < 3) return healthy(req, res);
      const id = (JSON.parse(req.body) as Report).reportId;
      stored.set(id, (stored.get(id) ?? 0) + 1);
      res.socket?.destroy();
      void server.close();
    };
    const sender = newSender();
    const first = await sender.drain();
    expect(first).toMatchObject({ outcome: 'retry', delivered: 2 });
    expect((await spool.list()).map((e) => e.reportId)).toEqual(reports.slice(2).map((r) => r.reportId));

    // While it is down, retries fail and nothing leaves the spool.
    timers.fireAll();
    expect(await sender.drain()).toMatchObject({ outcome: 'retry', delivered: 0 });
    expect(await spool.list()).toHaveLength(3);

    // Back on the same port, with the same store.
    const revived = await startTestCollector(healthy, { port });
    try {
      timers.fireAll();
      expect(await sender.drain()).toMatchObject({ outcome: 'drained', delivered: 3 });
      expect(await spool.list()).toEqual([]);
      expect([...stored.keys()].sort()).toEqual(reports.map((r) => r.reportId).sort());
      expect([...stored.values()].every((n) => n === 1)).toBe(true);
      // The interrupted report was sent again and recognised as a duplicate.
      const resent = revived.requests.map((r) => (JSON.parse(r.body) as Report).reportId);
      expect(resent).toEqual(reports.slice(2).map((r) => r.reportId));
    } finally {
      await revived.close();
    }
  });

  it('stop() lets the report in flight finish and sends nothing more', async () => {
    await putAll(3);
    const gate = deferred();
    const arrived = deferred();
    const healthy = server.handler;
    server.handler = async (req, res) => {
      arrived.resolve();
      await gate.promise;
      return healthy(req, res);
    };
    const sender = newSender();
    const round = sender.drain();
    await arrived.promise;
    const stopping = sender.stop();
    gate.resolve();
    await stopping;
    expect(await round).toMatchObject({ outcome: 'stopped', delivered: 1 });
    expect(server.requests).toHaveLength(1);
    expect(await spool.list()).toHaveLength(2);
    expect(sender.state).toBe('stopped');
    expect((await sender.drain()).outcome).toBe('stopped');
  });

  it('picks up a report put while a round is running', async () => {
    await putAll(1);
    const gate = deferred();
    const healthy = server.handler;
    server.handler = async (req, res) => {
      await gate.promise;
      return healthy(req, res);
    };
    const sender = newSender();
    const round = sender.drain();
    const late = sampleReport();
    await spool.put(late);
    sender.trigger();
    gate.resolve();
    expect(await round).toMatchObject({ outcome: 'drained', delivered: 2 });
    expect(stored.has(late.reportId)).toBe(true);
  });

  it('an unexpected error (the spool failing) is logged and retried, not thrown', async () => {
    await putAll(1);
    const broken = Object.create(spool) as Spool;
    broken.list = async () => {
      throw new Error('EIO: i/o error');
    };
    const sender = new Sender({ spool: broken, client, credential: async () => credential, timers, logger: logs.logger, backoff: { random: () => 1 } });
    expect(await sender.drain()).toMatchObject({ outcome: 'error', retryInMs: 5_000 });
    expect(logs.text()).toContain('EIO');
  });

  it('does not remove a report on a 2xx that names another report', async () => {
    await putAll(1);
    server.handler = (_req, res) => json(res, 200, { reportId: 'x', status: 'accepted' });
    expect((await newSender().drain()).outcome).toBe('retry');
    expect(await spool.list()).toHaveLength(1);
  });
});
