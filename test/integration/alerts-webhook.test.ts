import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../common/logger.js';
import { alertsConfigSchema } from '../../collector/alerts/config.js';
import { startAlerts, type RunningAlerts } from '../../collector/alerts/index.js';
import { openStore, type Store } from '../../collector/store/index.js';
import { requirePrograms } from '../support/require.js';
import { freePort } from '../support/servers/ports.js';
import { makeTestCa, type TestCa } from '../support/servers/tls-ca.js';
import { startWebhookReceiver, type WebhookReceiver } from '../support/servers/webhook.js';
import { finding, ruleTitle } from '../collector/alerts/helpers.js';

const SECRET = 'delad-hemlighet-för-webhook-0123456789';
const ready = requirePrograms('alerts webhook (test CA)', ['openssl']);

describe.runIf(ready)('webhook alerts to a receiver that verifies the signature', () => {
  let dir: string;
  let ca: TestCa;
  let store: Store;
  let alerts: RunningAlerts | undefined;
  let receiver: WebhookReceiver | undefined;
  let clock: Date;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'basvakt-alerts-hook-'));
    ca = makeTestCa(dir);
    writeFileSync(join(dir, 'hook.secret'), `${SECRET}\n`, { mode: 0o600 });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  beforeEach(async () => {
    clock = new Date();
    store = await openStore({ driver: 'sqlite', path: ':memory:' });
    await store.createTenant('amal', 'Åmåls kommun', clock);
  });
  afterEach(async () => {
    await alerts?.close();
    alerts = undefined;
    await receiver?.close();
    receiver = undefined;
    await store.close();
  });

  async function start(url: string, extra: Record<string, unknown> = {}) {
    const config = alertsConfigSchema.parse({
      channels: [{ id: 'hook', kind: 'webhook', url, secretFile: join(dir, 'hook.secret'), timeoutSeconds: 5, ...extra }],
      routes: [{ channels: ['hook'], on: ['new', 'regressed'] }],
      delivery: { intervalSeconds: 300, groupSeconds: 0, backoffSeconds: { initial: 30, max: 600 } },
    });
    alerts = await startAlerts(store, config, silentLogger, { ruleTitle, now: () => clock });
  }

  it('posts signed JSON over verified HTTPS; the receiver accepts it and rejects a tampered copy', async () => {
    receiver = await startWebhookReceiver(SECRET, 0, { key: readFileSync(ca.keyFile), cert: readFileSync(ca.certFile) });
    await start(receiver.url, { caFile: ca.caFile });
    await store.replaceFindings('amal', [finding({ targetId: 'a', targetName: 'web01' }), finding({ targetId: 'b', targetName: 'web02' })], clock);
    expect(await alerts!.flush()).toEqual({ sent: 1, failed: 0, held: 0 });
    expect(receiver.rejected).toEqual([]);
    const [request] = receiver.accepted;
    expect(request!.headers['x-basvakt-signature']).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(request!.body).toMatchObject({
      version: 1,
      kind: 'new',
      text: { sv: 'BV-AV-001 ny avvikelse på 2 datorer', en: 'BV-AV-001 new failure on 2 hosts' },
      alert: { tenantId: 'amal', tenantName: 'Åmåls kommun', ruleId: 'BV-AV-001', severity: 'high', targets: [{ name: 'web01' }, { name: 'web02' }] },
    });

    // The same headers with one changed byte in the body: refused.
    const tampered = request!.raw.replace('"severity":"high"', '"severity":"low"');
    const headers = { 'content-type': 'application/json', 'x-basvakt-timestamp': String(request!.headers['x-basvakt-timestamp']), 'x-basvakt-signature': String(request!.headers['x-basvakt-signature']) };
    const { request: httpsRequest } = await import('node:https');
    const status = await new Promise<number>((resolve, reject) => {
      const req = httpsRequest(receiver!.url, { method: 'POST', headers, ca: readFileSync(ca.caFile) }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end(tampered);
    });
    expect(status).toBe(401);
    expect(receiver.rejected).toHaveLength(1);
    expect(receiver.accepted).toHaveLength(1);
  });

  it('refuses a receiver whose certificate is not trusted', async () => {
    receiver = await startWebhookReceiver(SECRET, 0, { key: readFileSync(ca.keyFile), cert: readFileSync(ca.certFile) });
    await start(receiver.url);
    await store.replaceFindings('amal', [finding()], clock);
    expect(await alerts!.flush()).toMatchObject({ sent: 0, failed: 1 });
    expect(receiver.accepted).toEqual([]);
    expect((await store.db.selectFrom('alert_outbox').select('last_error').executeTakeFirstOrThrow()).last_error).toMatch(/certificate/i);
  });

  it('keeps alerts while the receiver is down, retries with backoff, and delivers each exactly once when it is up', async () => {
    const port = await freePort();
    await start(`http://127.0.0.1:${port}/hook`);
    await store.replaceFindings('amal', [finding()], clock);
    await store.replaceFindings('amal', [finding({ ruleId: 'BV-AV-002' })], clock);
    // The first alert fails; the second is not tried against a channel that just failed, but in the next round.
    expect(await alerts!.flush()).toEqual({ sent: 0, failed: 1, held: 1 });
    expect(await alerts!.flush()).toEqual({ sent: 0, failed: 1, held: 0 });
    const rows = await store.db.selectFrom('alert_outbox').select(['state', 'attempts', 'last_error', 'next_attempt_at']).execute();
    expect(rows.every((r) => r.state === 'pending' && r.attempts === 1 && /ECONNREFUSED/.test(r.last_error ?? ''))).toBe(true);
    // Backoff: with 30 s initial, the next attempt is 15–30 s later.
    for (const r of rows) {
      const wait = new Date(r.next_attempt_at).getTime() - clock.getTime();
      expect(wait).toBeGreaterThanOrEqual(15_000);
      expect(wait).toBeLessThanOrEqual(30_000);
    }

    receiver = await startWebhookReceiver(SECRET, port);
    expect(await alerts!.flush()).toEqual({ sent: 0, failed: 0, held: 0 }); // not due yet
    clock = new Date(clock.getTime() + 31_000);
    expect(await alerts!.flush()).toEqual({ sent: 2, failed: 0, held: 0 });
    clock = new Date(clock.getTime() + 3_600_000);
    expect(await alerts!.flush()).toEqual({ sent: 0, failed: 0, held: 0 });
    expect(receiver.accepted.map((r) => (r.body as { alert: { ruleId: string } }).alert.ruleId).sort()).toEqual(['BV-AV-001', 'BV-AV-002']);
    expect(await alerts!.depth()).toEqual({ pending: 0, dead: 0 });
  });
});
