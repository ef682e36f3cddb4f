import { execFileSync } from 'node:child_process';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CollectorClient, CaFileError, EnrollError, createCollectorClient, type SendResult } from '../../../agent/transport/index.js';
import type { AgentCredential } from '../../../report/api.js';
import { sampleReport, tempDir } from '../spool/reports.js';
import { captureLogger } from './logs.js';
import { apiError, json, startTestCollector, type TestCollector } from './server.js';

const SECRET = 'S3cr3t-Value-That-Must-Never-Leak-0123456789';
const TOKEN = 'enroll-token-that-must-never-leak-42';
const credential: AgentCredential = {
  collectorUrl: 'http://127.0.0.1',
  agentId: 'agent-1',
  secret: SECRET,
  tenant: 'dals-ed',
  enrolledAt: '2026-11-23T04:00:00.000Z',
};

describe('CollectorClient against a real HTTP server', () => {
  let server: TestCollector;
  let client: CollectorClient;
  const logs = captureLogger();

  beforeAll(async () => {
    server = await startTestCollector((_req, res) => json(res, 500, {}));
    client = new CollectorClient({ url: `${server.url}/`, timeoutMs: 300, logger: logs.logger, userAgent: 'basvakt-agent/0.1.0' });
  });
  afterAll(async () => {
    client.close();
    await server.close();
    // Whatever happened above, neither secret reached a log line.
    expect(logs.text()).not.toContain(SECRET);
    expect(logs.text()).not.toContain(TOKEN);
  });
  afterEach(() => {
    server.requests.length = 0;
  });

  async function send(handler: TestCollector['handler']): Promise<SendResult> {
    server.handler = handler;
    const result = await client.sendReport(sampleReport(), credential);
    expect(JSON.stringify(result)).not.toContain(SECRET);
    return result;
  }

  it('posts the report with the bearer credential and reads "accepted"', async () => {
    const report = sampleReport();
    server.handler = (req, res) => json(res, 201, { reportId: (JSON.parse(req.body) as { reportId: string }).reportId, status: 'accepted' });
    expect(await client.sendReport(report, credential)).toEqual({ kind: 'accepted' });
    const [request] = server.requests;
    expect(request).toMatchObject({ method: 'POST', url: '/api/v1/reports' });
    expect(request!.headers.authorization).toBe(`Bearer agent-1.${SECRET}`);
    expect(request!.headers['content-type']).toBe('application/json');
    expect(request!.headers['user-agent']).toBe('basvakt-agent/0.1.0');
    expect(JSON.parse(request!.body)).toEqual(report);
  });

  it('reads "duplicate"', async () => {
    expect(await send((req, res) => json(res, 200, { reportId: (JSON.parse(req.body) as { reportId: string }).reportId, status: 'duplicate' }))).toEqual({
      kind: 'duplicate',
    });
  });

  it('does not take a 200 that does not name the report as receipt', async () => {
    expect(await send((_req, res) => json(res, 200, { reportId: 'someone-else', status: 'accepted' }))).toMatchObject({ kind: 'retry', status: 200 });
    expect(
      await send((_req, res) => {
        res.writeHead(200, { 'content-type': 'text/html' });
        res.end('<html>Logga in på gästnätet</html>');
      }),
    ).toMatchObject({ kind: 'retry', status: 200 });
  });

  it('returns 422 as rejected with the problems', async () => {
    const problems = [{ path: 'targets[0].facts[0].value.hostname', message: 'saknas' }];
    expect(await send((_req, res) => apiError(res, 422, 'invalid-report', 'Rapporten följer inte rapportformatet', problems))).toEqual({
      kind: 'rejected',
      status: 422,
      message: 'Rapporten följer inte rapportformatet',
      problems,
    });
  });

  it.each([400, 409, 413, 415])('returns %i as rejected', async (status) => {
    expect(await send((_req, res) => apiError(res, status, 'x', 'nej'))).toEqual({ kind: 'rejected', status, message: 'nej', problems: [] });
  });

  it('returns 401 as unauthorized, and scrubs a secret the server echoes', async () => {
    const result = await send((req, res) => apiError(res, 401, 'unauthenticated', `bad credential ${req.headers.authorization ?? ''}`));
    expect(result).toEqual({ kind: 'unauthorized', status: 401, message: 'bad credential Bearer agent-1.[dolt]' });
  });

  it('returns 403 as unauthorized, but a wrong-agent 403 as a rejected report', async () => {
    expect(await send((_req, res) => apiError(res, 403, 'forbidden', 'nej'))).toEqual({ kind: 'unauthorized', status: 403, message: 'nej' });
    expect(await send((_req, res) => apiError(res, 403, 'wrong-agent', 'annan agent'))).toMatchObject({ kind: 'rejected', status: 403 });
  });

  it('returns 503 as retry, honouring Retry-After in seconds', async () => {
    expect(await send((_req, res) => apiError(res, 503, 'unavailable', 'underhåll'))).toEqual({ kind: 'retry', status: 503, reason: 'insamlaren svarade 503: underhåll' });
    expect(await send((_req, res) => apiError(res, 503, 'unavailable', 'underhåll', undefined, { 'retry-after': '120' }))).toMatchObject({
      kind: 'retry',
      status: 503,
      retryAfterMs: 120_000,
    });
  });

  it('returns 429 as retry, honouring Retry-After as an HTTP date', async () => {
    const at = new Date(Date.now() + 90_000).toUTCString();
    const result = await send((_req, res) => apiError(res, 429, 'slow-down', 'för många', undefined, { 'retry-after': at }));
    expect(result).toMatchObject({ kind: 'retry', status: 429 });
    const wait = (result as { retryAfterMs: number }).retryAfterMs;
    expect(wait).toBeGreaterThan(80_000);
    expect(wait).toBeLessThanOrEqual(90_000);
  });

  it('does not follow a redirect (it could carry the credential elsewhere)', async () => {
    const result = await send((_req, res) => {
      res.writeHead(302, { location: 'http://evil.test/steal' });
      res.end();
    });
    expect(result).toMatchObject({ kind: 'retry', status: 302 });
    expect(server.requests).toHaveLength(1);
  });

  it('returns a timeout as retry', async () => {
    const started = Date.now();
    const result = await send(() => {
      /* never answers */
    });
    expect(result).toEqual({ kind: 'retry', reason: 'inget svar inom 0.3 s (timeout)' });
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('returns a dropped connection as retry', async () => {
    expect(await send((_req, res) => void res.socket?.destroy())).toMatchObject({ kind: 'retry', reason: expect.stringContaining('anslutningen bröts') });
  });

  it('returns an answer cut off mid-body as retry, not as receipt', async () => {
    const result = await send((req, res) => {
      res.writeHead(201, { 'content-type': 'application/json', 'content-length': '200' });
      res.write(`{"reportId":"${(JSON.parse(req.body) as { reportId: string }).reportId}",`);
      setTimeout(() => res.socket?.destroy(), 10);
    });
    expect(result).toMatchObject({ kind: 'retry', reason: expect.stringMatching(/bröts/) });
  });

  it('returns connection refused as retry', async () => {
    const gone = await startTestCollector(() => undefined);
    await gone.close();
    const offline = new CollectorClient({ url: gone.url, timeoutMs: 1_000, logger: logs.logger });
    expect(await offline.sendReport(sampleReport(), credential)).toEqual({ kind: 'retry', reason: 'anslutningen nekades (connection refused)' });
    offline.close();
  });

  it('enrolls with the token and returns a credential for this collector', async () => {
    server.handler = (req, res) => {
      const body = JSON.parse(req.body) as { token: string; hostname: string; agentVersion: string };
      if (req.url !== '/api/v1/enroll' || body.token !== TOKEN) return apiError(res, 401, 'enrollment-invalid', 'okänd token');
      return json(res, 201, { agentId: 'agent-7', secret: SECRET, tenant: 'dals-ed' });
    };
    const enrolled = await client.enroll(TOKEN, 'web01', '0.1.0');
    expect(enrolled).toEqual({ collectorUrl: server.url, agentId: 'agent-7', secret: SECRET, tenant: 'dals-ed', enrolledAt: expect.any(String) });
    expect(JSON.parse(server.requests[0]!.body)).toEqual({ token: TOKEN, hostname: 'web01', agentVersion: '0.1.0' });
  });

  it('explains a refused enrollment without repeating the token', async () => {
    server.handler = (req, res) => apiError(res, 401, 'enrollment-expired', `token ${(JSON.parse(req.body) as { token: string }).token} har gått ut`);
    const error = (await client.enroll(TOKEN, 'web01', '0.1.0').catch((e: unknown) => e)) as EnrollError;
    expect(error).toBeInstanceOf(EnrollError);
    expect(error.status).toBe(401);
    expect(error.message).toBe('Registreringstoken avvisades: token [dolt] har gått ut (enrollment token refused)');
  });

  it('explains an unreachable collector at enrollment', async () => {
    const gone = await startTestCollector(() => undefined);
    await gone.close();
    const offline = new CollectorClient({ url: gone.url, timeoutMs: 1_000 });
    await expect(offline.enroll(TOKEN, 'web01', '0.1.0')).rejects.toThrow(`Kunde inte nå insamlaren på ${gone.url}: anslutningen nekades`);
    offline.close();
  });

  it('refuses an enrollment answer that is not a credential', async () => {
    server.handler = (_req, res) => json(res, 201, { agentId: 'agent-7', secret: 'short', tenant: 'x' });
    await expect(client.enroll(TOKEN, 'web01', '0.1.0')).rejects.toThrow(/utan giltig inloggning \(fält: secret\)/);
  });
});

describe('CollectorClient over HTTPS with a private CA', () => {
  let dir: string;
  let server: TestCollector;

  beforeAll(async () => {
    dir = await tempDir('tls');
    const run = (args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
    run(['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2', '-subj', '/CN=Kommun Test CA']);
    run(['req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=127.0.0.1']);
    await writeFile(join(dir, 'san.ext'), 'subjectAltName=IP:127.0.0.1\n');
    run(['x509', '-req', '-in', 'server.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'server.pem', '-days', '2', '-extfile', 'san.ext']);
    server = await startTestCollector(
      (req, res) => json(res, 201, { reportId: (JSON.parse(req.body) as { reportId: string }).reportId, status: 'accepted' }),
      { tls: { key: await readFile(join(dir, 'server.key'), 'utf8'), cert: await readFile(join(dir, 'server.pem'), 'utf8') } },
    );
  }, 30_000);
  afterAll(async () => {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('trusts the collector through collector.caFile', async () => {
    const client = await createCollectorClient({ url: server.url, caFile: join(dir, 'ca.pem'), timeoutSeconds: 5 });
    expect(await client.sendReport(sampleReport(), credential)).toEqual({ kind: 'accepted' });
    client.close();
  });

  it('without the CA, says the certificate is not trusted and points at caFile', async () => {
    const client = await createCollectorClient({ url: server.url, timeoutSeconds: 5 });
    const result = await client.sendReport(sampleReport(), credential);
    expect(result).toMatchObject({ kind: 'retry', reason: expect.stringContaining('collector.caFile') });
    client.close();
  });

  it('reports a missing or wrong caFile clearly', async () => {
    await expect(createCollectorClient({ url: server.url, caFile: join(dir, 'missing.pem'), timeoutSeconds: 5 })).rejects.toThrow(CaFileError);
    await expect(createCollectorClient({ url: server.url, caFile: join(dir, 'san.ext'), timeoutSeconds: 5 })).rejects.toThrow(/inget PEM-certifikat/);
  });
});
