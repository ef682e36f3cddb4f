import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EndpointValue } from '../../../../report/facts/web.js';
import { requirePrograms } from '../../../support/require.js';
import { startHttp, startHttps, startRaw, type Running } from '../../../support/servers/https.js';
import { freePort } from '../../../support/servers/ports.js';
import { startSlapd, type SlapdServer } from '../../../support/servers/slapd.js';
import { PYTHON } from '../../../support/servers/smtp.js';
import { makeTestCa, type TestCa } from '../../../support/servers/tls-ca.js';
import { startAiosmtpd, type RunningSmtp, type SmtpMode } from './smtp-servers.js';
import { endpoints, probeOne } from './support.js';

/**
 * TLS on a system's declared LDAP and SMTP endpoints against real servers: slapd 2.5 with a
 * certificate (StartTLS on ldap://, TLS on ldaps://) and without one (StartTLS refused),
 * aiosmtpd without TLS, with STARTTLS and with SMTPS; plus endpoints that do not answer or
 * speak another protocol.
 */
const available = requirePrograms('web probe endpoints (slapd, aiosmtpd)', ['slapd', 'slapadd', 'slappasswd', 'ldapsearch', 'openssl', PYTHON]);

describe.runIf(available)('web probe: LDAP and SMTP endpoints', () => {
  let dir: string;
  let ca: TestCa;
  let slapd: SlapdServer;
  let slapdPlain: SlapdServer;
  const smtp = {} as Record<SmtpMode, RunningSmtp>;
  const other: Record<string, Running> = {};

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'basvakt-web-endpoints-'));
    ca = makeTestCa(dir);
    const cert = { certFile: ca.certFile, keyFile: ca.keyFile };
    [slapd, slapdPlain] = await Promise.all([
      startSlapd({ variant: 'good', port: await freePort(), tlsPort: await freePort() }),
      startSlapd({ variant: 'good', port: await freePort(), tlsPort: await freePort(), tls: false }),
    ]);
    for (const mode of ['plain', 'starttls', 'implicit'] as const) smtp[mode] = await startAiosmtpd(mode, cert);
    other.https = await startHttps(cert, (_req, res) => res.end('ok'));
    other.http = await startHttp((_req, res) => res.end('ok'));
    other.silent = await startRaw(() => undefined);
    other.ssh = await startRaw((s) => s.end('SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n'));
    other.answersHttp = await startRaw((s) => s.once('data', () => s.end('HTTP/1.1 400 Bad Request\r\n\r\n')));
  });
  afterAll(async () => {
    await Promise.all([slapd?.dispose(), slapdPlain?.dispose(), ...Object.values(smtp).map((s) => s.stop()), ...Object.values(other).map((s) => s.close())]);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const port = (url: string) => Number(new URL(url).port);
  const summary = (e: EndpointValue | undefined) => [e?.protocol, e?.tlsMode, e?.offered, e?.certificate?.chainValid ?? null, e?.error];

  it('slapd: StartTLS on ldap://, TLS on ldaps://, and StartTLS refused where no certificate is configured', async () => {
    const target = await probeOne(
      {
        id: 'katalog',
        name: 'Katalogen',
        endpoints: [
          { protocol: 'ldap', host: '127.0.0.1', port: port(slapd.url) },
          { protocol: 'ldaps', host: '127.0.0.1', port: port(slapd.ldapsUrl) },
          { protocol: 'ldap', host: '127.0.0.1', port: port(slapdPlain.url) },
        ],
      },
      { caFile: slapd.caFile },
    );
    // No login URL: login and tls say why they are missing, so their rules are unknown, never passed.
    expect(target.facts.map((f) => [f.name, f.status])).toEqual([
      ['login', 'unsupported'],
      ['tls', 'unsupported'],
      ['endpoints', 'ok'],
    ]);
    expect(target.facts[0]).toMatchObject({ reason: 'ingen inloggningsadress i systemförteckningen (no login URL in the system register)' });
    const [startTls, ldaps, none] = endpoints(target);
    // Debian's slapd (GnuTLS, no olcTLSProtocolMin) still accepts TLS 1.0 and 1.1: exactly what the rules must catch.
    const legacyToo = ['TLSv1', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'];
    expect([startTls, ldaps, none].map(summary)).toEqual([
      ['ldap', 'starttls', legacyToo, true, null],
      ['ldaps', 'implicit', legacyToo, true, null],
      ['ldap', 'none', [], null, null],
    ]);
    expect(startTls!.certificate).toMatchObject({ subject: 'CN=server', hostnameMatch: true });
    // slapd without a certificate does not even list the operation: protocolError.
    expect(none!.noTlsReason).toBe('StartTLS avvisades (StartTLS refused) [LDAP 2] unsupported extended operation');
    expect(startTls!.noTlsReason).toBeNull();
  });

  it('aiosmtpd: no STARTTLS advertised → none; STARTTLS → starttls; SMTPS → implicit', async () => {
    const target = await probeOne(
      {
        id: 'epost',
        name: 'E-post',
        endpoints: [
          { protocol: 'smtp', host: '127.0.0.1', port: smtp.plain.port },
          { protocol: 'smtp', host: '127.0.0.1', port: smtp.starttls.port },
          { protocol: 'smtps', host: '127.0.0.1', port: smtp.implicit.port },
        ],
      },
      { caFile: ca.caFile },
    );
    const [plain, starttls, implicit] = endpoints(target);
    expect([plain, starttls, implicit].map(summary)).toEqual([
      ['smtp', 'none', [], null, null],
      ['smtp', 'starttls', ['TLSv1.2', 'TLSv1.3'], true, null],
      ['smtps', 'implicit', ['TLSv1.2', 'TLSv1.3'], true, null],
    ]);
    expect(plain!.noTlsReason).toBe('servern erbjuder inte STARTTLS efter EHLO (STARTTLS not advertised)');
    expect(starttls!.versions.find((v) => v.version === 'TLSv1')).toMatchObject({ offered: false });
    expect(starttls!.certificate).toMatchObject({ subject: 'CN=localhost', hostnameMatch: true, chainValid: true });
  });

  it('endpoints that refuse, stay silent or speak another protocol are errors, each on its own', async () => {
    const closed = await freePort();
    const target = await probeOne(
      {
        id: 'trasigt',
        name: 'Trasigt',
        endpoints: [
          { protocol: 'smtp', host: '127.0.0.1', port: closed },
          { protocol: 'smtp', host: '127.0.0.1', port: other.silent!.port },
          { protocol: 'smtp', host: '127.0.0.1', port: other.ssh!.port },
          { protocol: 'ldap', host: '127.0.0.1', port: other.answersHttp!.port },
          { protocol: 'https', host: '127.0.0.1', port: other.https!.port },
          { protocol: 'ldaps', host: '127.0.0.1', port: other.http!.port },
        ],
      },
      { caFile: ca.caFile, timeoutMs: 500 },
    );
    const list = endpoints(target);
    expect(list.map((e) => e.tlsMode)).toEqual([null, null, null, null, 'implicit', 'none']);
    expect(list[0]!.error).toMatch(/anslutningen nekades \(connection refused\) \[ECONNREFUSED\]/);
    expect(list[1]!.error).toMatch(/SMTP-hälsning \(SMTP greeting\): inget svar inom 500 ms/);
    expect(list[2]!.error).toBe("SMTP: oväntat svar 'SSH-2.0-OpenSSH_9.2p1 Debian-2' (not an SMTP reply)");
    expect(list[3]!.error).toBe('LDAP: oväntad tagg 0x48 (not an LDAP extended response)');
    expect(list[4]!.offered).toEqual(['TLSv1.2', 'TLSv1.3']);
    // Plain HTTP on a port declared ldaps: no handshake succeeds — no TLS, said plainly.
    expect(list[5]!.noTlsReason).toBe('ingen TLS-handskakning lyckades (no TLS handshake succeeded)');
    expect(list[5]!.versions.every((v) => !v.offered)).toBe(true);
  });
});
