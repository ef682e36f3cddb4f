import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../common/logger.js';
import { startAlerts, type RunningAlerts } from '../../collector/alerts/index.js';
import { alertsConfigSchema } from '../../collector/alerts/config.js';
import { openStore, type Store } from '../../collector/store/index.js';
import { requirePrograms } from '../support/require.js';
import { PYTHON, startSmtpServer, type SmtpServer } from '../support/servers/smtp.js';
import { makeTestCa, type TestCa } from '../support/servers/tls-ca.js';
import { finding, ruleTitle } from '../collector/alerts/helpers.js';

const ready = requirePrograms('alerts e-mail (aiosmtpd)', [PYTHON, 'openssl']) && aiosmtpdInstalled();

function aiosmtpdInstalled(): boolean {
  // python3 alone is not enough: the aiosmtpd module comes from python3-aiosmtpd.
  const { status } = spawnSync(PYTHON, ['-c', 'import aiosmtpd'], { stdio: 'ignore' });
  if (status === 0) return true;
  if (process.env.CI === 'true') throw new Error('alerts e-mail needs python3-aiosmtpd; run scripts/install-test-deps.sh');
  console.warn('skipped: alerts e-mail needs python3-aiosmtpd');
  return false;
}

describe.runIf(ready)('e-mail alerts through a real SMTP server (aiosmtpd, STARTTLS + AUTH) on loopback', () => {
  let dir: string;
  let ca: TestCa;
  let smtp: SmtpServer;
  let store: Store;
  let alerts: RunningAlerts | undefined;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'basvakt-alerts-mail-'));
    ca = makeTestCa(dir);
    smtp = await startSmtpServer({ certFile: ca.certFile, keyFile: ca.keyFile, user: 'basvakt', password: 'rätt-lösen' });
    writeFileSync(join(dir, 'smtp.pw'), 'rätt-lösen\n');
    writeFileSync(join(dir, 'wrong.pw'), 'fel\n');
  });
  afterAll(async () => {
    await smtp?.stop();
    rmSync(dir, { recursive: true, force: true });
  });
  beforeEach(async () => {
    store = await openStore({ driver: 'sqlite', path: ':memory:' });
    await store.createTenant('amal', 'Åmåls kommun', new Date());
  });
  afterEach(async () => {
    await alerts?.close();
    alerts = undefined;
    await store.close();
  });

  const mailChannel = (overrides: Record<string, unknown> = {}) => ({
    id: 'mail',
    kind: 'email',
    host: '127.0.0.1',
    port: smtp.port,
    caFile: ca.caFile,
    username: 'basvakt',
    passwordFile: join(dir, 'smtp.pw'),
    from: 'basvakt@amal.kommun.test',
    to: ['it-sakerhet@amal.kommun.test'],
    timeoutSeconds: 5,
    ...overrides,
  });

  async function start(channel: Record<string, unknown>, on = ['new']) {
    const config = alertsConfigSchema.parse({
      channels: [channel],
      routes: [{ channels: ['mail'], minSeverity: 'high', on }],
      timeZone: 'Europe/Stockholm',
      digest: { time: '00:00' },
      delivery: { intervalSeconds: 300, groupSeconds: 0, backoffSeconds: { initial: 0.1, max: 0.2 } },
    });
    alerts = await startAlerts(store, config, silentLogger, { ruleTitle });
  }

  it('delivers the Swedish alert over STARTTLS after logging in, with the English text below', async () => {
    await start(mailChannel());
    await store.replaceFindings('amal', [finding({ targetId: 'm1', targetName: 'web01' }), finding({ targetId: 'm2', targetName: 'web02' })], new Date());
    expect(await alerts!.flush()).toEqual({ sent: 1, failed: 0, held: 0 });
    const [mail, ...more] = smtp.received();
    expect(more).toEqual([]);
    expect(mail).toMatchObject({ tls: true, user: 'basvakt', from: 'basvakt@amal.kommun.test', to: ['it-sakerhet@amal.kommun.test'] });
    expect(mail!.subject).toBe('[basvakt] Åmåls kommun: BV-AV-001 ny avvikelse på 2 datorer');
    expect(mail!.headers['Auto-Submitted']).toBe('auto-generated');
    expect(mail!.headers['X-Basvakt-Alert-ID']).toMatch(/^[0-9a-f]{32}$/); // nodemailer writes ID in capitals
    expect(mail!.headers['X-Basvakt-Alert-Kind']).toBe('new');
    const body = mail!.body ?? '';
    expect(body).toContain('Regel: BV-AV-001 — Datorn har ett virusskydd');
    expect(body).toContain('Berörda: web01, web02');
    expect(body.indexOf('Allvarlighet: hög')).toBeLessThan(body.indexOf('Severity: high'));
    expect(await alerts!.depth()).toEqual({ pending: 0, dead: 0 });
  });

  it('sends the daily digest once, in Swedish with English below', async () => {
    await store.replaceFindings('amal', [finding({ targetId: 'm1', targetName: 'web01' }), finding({ ruleId: 'BV-PAT-001', severity: 'critical', targetId: 'm1', targetName: 'web01' })], new Date());
    await start(mailChannel(), ['digest']);
    await alerts!.checkSchedules();
    await alerts!.checkSchedules();
    const before = smtp.received().length;
    expect(await alerts!.flush()).toEqual({ sent: 1, failed: 0, held: 0 });
    const mails = smtp.received().slice(before);
    expect(mails).toHaveLength(1);
    expect(mails[0]!.subject).toMatch(/^\[basvakt\] Åmåls kommun: Daglig sammanställning \d{4}-\d\d-\d\d: 2 avvikelser kvar$/);
    const body = mails[0]!.body ?? '';
    expect(body).toContain('- BV-PAT-001 (kritisk): 1 — web01');
    expect(body).toContain('- BV-AV-001 (hög) Datorn har ett virusskydd: 1 — web01');
    expect(body).toMatch(/Daily digest \d{4}-\d\d-\d\d: 2 failures still open/);
  });

  it('keeps the alert in the outbox when the login fails or TLS is not used, and never sends the password in clear', async () => {
    const before = smtp.received().length;
    await start(mailChannel({ passwordFile: join(dir, 'wrong.pw') }));
    await store.replaceFindings('amal', [finding()], new Date());
    expect(await alerts!.flush()).toMatchObject({ sent: 0, failed: 1 });
    const row = await store.db.selectFrom('alert_outbox').selectAll().executeTakeFirstOrThrow();
    expect(row).toMatchObject({ state: 'pending', attempts: 1 });
    expect(row.last_error).toMatch(/535|auth/i);
    expect(row.last_error).not.toContain('fel');
    await alerts!.close();

    // A relay without TLS: the server demands STARTTLS first, so the message is refused and kept.
    alerts = undefined;
    await start(mailChannel({ host: '127.0.0.1', security: 'none', username: undefined, passwordFile: undefined }));
    await new Promise((r) => setTimeout(r, 250));
    expect(await alerts!.flush()).toMatchObject({ sent: 0, failed: 1 });
    expect((await store.db.selectFrom('alert_outbox').select('last_error').executeTakeFirstOrThrow()).last_error).toMatch(/STARTTLS/i);
    expect(smtp.received()).toHaveLength(before);
  });
});
