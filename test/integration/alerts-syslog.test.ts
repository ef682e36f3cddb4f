import { mkdtempSync, rmSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../common/logger.js';
import { alertsConfigSchema } from '../../collector/alerts/config.js';
import { startAlerts, type RunningAlerts } from '../../collector/alerts/index.js';
import { openStore, type Store } from '../../collector/store/index.js';
import { requirePrograms } from '../support/require.js';
import { gtlsDriver, startRsyslog, type RsyslogServer } from '../support/servers/rsyslog.js';
import { makeTestCa, type TestCa } from '../support/servers/tls-ca.js';
import { finding, ruleTitle } from '../collector/alerts/helpers.js';

const ready = requirePrograms('alerts syslog (rsyslog)', ['rsyslogd', 'openssl', gtlsDriver()]);

async function waitFor<T>(read: () => T[], n: number, timeoutMs = 5000): Promise<T[]> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const items = read();
    if (items.length >= n) return items;
    await new Promise((r) => setTimeout(r, 50));
  }
  return read();
}

describe.runIf(ready)('syslog alerts to a real rsyslog (imtcp: plain TCP and TLS with gtls)', () => {
  let dir: string;
  let ca: TestCa;
  let rsyslog: RsyslogServer;
  let store: Store;
  let alerts: RunningAlerts | undefined;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'basvakt-alerts-syslog-'));
    ca = makeTestCa(dir);
    rsyslog = await startRsyslog(ca);
  });
  afterAll(async () => {
    await rsyslog?.stop();
    rmSync(dir, { recursive: true, force: true });
  });
  beforeEach(async () => {
    store = await openStore({ driver: 'sqlite', path: ':memory:' });
    await store.createTenant('amal', 'Åmåls "kommun"]', new Date());
  });
  afterEach(async () => {
    await alerts?.close();
    alerts = undefined;
    await store.close();
  });

  async function start(channel: Record<string, unknown>) {
    const config = alertsConfigSchema.parse({
      channels: [{ id: 'siem', kind: 'syslog', host: '127.0.0.1', timeoutSeconds: 5, facility: 'auth', ...channel }],
      routes: [{ channels: ['siem'], minSeverity: 'medium', on: ['new', 'resolved'] }],
      delivery: { intervalSeconds: 300, groupSeconds: 0 },
    });
    alerts = await startAlerts(store, config, silentLogger, { ruleTitle });
  }

  it('delivers an RFC 5424 message intact over TCP with octet counting and over TLS', async () => {
    await start({ transport: 'tcp', port: rsyslog.tcpPort });
    await store.replaceFindings('amal', [finding({ severity: 'critical', subjects: ['clamav-daemon'], targetName: 'pc "7"]\\' })], new Date());
    expect(await alerts!.flush()).toEqual({ sent: 1, failed: 0, held: 0 });
    await alerts!.close();

    await start({ transport: 'tls', port: rsyslog.tlsPort, caFile: ca.caFile, hostname: 'collector.amal.kommun.test' });
    await store.replaceFindings('amal', [finding({ severity: 'critical', status: 'pass', targetName: 'pc "7"]\\' })], new Date());
    expect(await alerts!.flush()).toEqual({ sent: 1, failed: 0, held: 0 });

    const raw = await waitFor(() => rsyslog.raw(), 2);
    expect(raw.map((r) => r.input)).toEqual(['tcp', 'tls']);
    const tcp = raw[0]!.raw;
    // The whole message as it left basvakt, byte for byte (rsyslog strips only the octet count).
    expect(tcp).toMatch(
      /^<34>1 \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z \S+ basvakt \d+ NEW \[basvakt@32473 tenant="amal" kind="new" rule="BV-AV-001" severity="critical" count="1" targets="pc \\"7\\"\\]\\\\" id="[0-9a-f]{32}"\] \uFEFFÅmåls "kommun"\]: BV-AV-001 ny avvikelse på 1 dator: pc "7"\]\\ \(BV-AV-001 new failure on 1 host\)$/,
    );
    expect(tcp).toContain(` ${hostname()} basvakt `);

    const parsed = await waitFor(() => rsyslog.parsed(), 2);
    // auth (4) * 8 + critical (2) = 34; resolved is a notice (5).
    expect(parsed[0]).toMatchObject({ input: 'tcp', pri: 'auth.crit', appName: 'basvakt', msgId: 'NEW' });
    expect(parsed[0]!.structuredData).toMatch(/^\[basvakt@32473 tenant="amal" kind="new" rule="BV-AV-001" severity="critical" count="1" targets="pc \\"7\\"\\]\\\\" id="[0-9a-f]{32}"\]$/);
    expect(parsed[0]!.msg).toContain('Åmåls "kommun"]: BV-AV-001 ny avvikelse på 1 dator');
    expect(parsed[1]).toMatchObject({ input: 'tls', pri: 'auth.notice', hostname: 'collector.amal.kommun.test', appName: 'basvakt', msgId: 'RESOLVED' });
    expect(parsed[1]!.msg).toContain('BV-AV-001 åtgärdad på 1 dator');
  });

  it('refuses a syslog server whose certificate it cannot verify, and keeps the alert', async () => {
    await start({ transport: 'tls', port: rsyslog.tlsPort });
    const before = rsyslog.raw().length;
    await store.replaceFindings('amal', [finding({ severity: 'high' })], new Date());
    expect(await alerts!.flush()).toMatchObject({ sent: 0, failed: 1 });
    const row = await store.db.selectFrom('alert_outbox').select(['state', 'last_error']).executeTakeFirstOrThrow();
    expect(row.state).toBe('pending');
    expect(row.last_error).toMatch(/certificate/i);
    await new Promise((r) => setTimeout(r, 300));
    expect(rsyslog.raw().length).toBe(before);
  });
});
