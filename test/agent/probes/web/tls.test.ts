import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requirePrograms } from '../../../support/require.js';
import { issueLeaf, startHttp, startHttps, startLegacyTls10, type Leaf, type Running } from '../../../support/servers/https.js';
import { makeTestCa, type TestCa } from '../../../support/servers/tls-ca.js';
import { failure, login, probeOne, tls } from './support.js';

/**
 * TLS of a login page's host against real servers with a test CA made per run: Node HTTPS
 * with TLS 1.2/1.3 and HSTS, the same without HSTS, an expired certificate, a certificate
 * for another name, a Node server offering 1.0 to 1.3, and openssl s_server offering only
 * TLS 1.0 — which the probe must see (a naive client calls it "not offered").
 */
const available = requirePrograms('web probe TLS servers', ['openssl']);

const HSTS = 'max-age=31536000; includeSubDomains';

describe.runIf(available)('web probe: TLS of the login page', () => {
  let dir: string;
  let ca: TestCa;
  let expired: Leaf;
  let otherName: Leaf;
  const servers: Record<string, Running> = {};

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'basvakt-web-tls-'));
    ca = makeTestCa(dir);
    expired = issueLeaf(ca, dir, 'expired', { san: 'DNS:localhost,IP:127.0.0.1', startDate: '20200101000000Z', endDate: '20210101000000Z' });
    otherName = issueLeaf(ca, dir, 'other', { san: 'DNS:other.kommun.test' });
    const good = { certFile: ca.certFile, keyFile: ca.keyFile };
    const page = (headers: Record<string, string>) => (_req: unknown, res: import('node:http').ServerResponse) =>
      res.writeHead(200, { 'Content-Type': 'text/html', ...headers }).end('<form method="post"><input name="username"></form>');
    servers.good = await startHttps(good, page({ 'Strict-Transport-Security': HSTS }));
    servers.noHsts = await startHttps(good, page({}));
    servers.expired = await startHttps(expired, page({ 'Strict-Transport-Security': 'max-age=0' }));
    servers.otherName = await startHttps(otherName, page({ 'Strict-Transport-Security': '"bogus"; preload' }));
    servers.allVersions = await startHttps(good, page({}), { minVersion: 'TLSv1', maxVersion: 'TLSv1.3', ciphers: 'DEFAULT:@SECLEVEL=0' });
    servers.legacy = await startLegacyTls10(good);
    servers.http = await startHttp(page({}));
  });
  afterAll(async () => {
    await Promise.all(Object.values(servers).map((s) => s.close()));
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const system = (url: string) => ({ id: 'sys', name: 'Systemet', loginUrl: url });

  it('good server: TLS 1.2 and 1.3 only, chain valid with the CA file, name matches, HSTS with includeSubDomains', async () => {
    const target = await probeOne(system(servers.good!.url), { caFile: ca.caFile });
    const value = tls(target);
    expect(value).toMatchObject({ host: '127.0.0.1', port: servers.good!.port, tls: true, offered: ['TLSv1.2', 'TLSv1.3'], hstsError: null });
    expect(value.versions.map((v) => [v.version, v.offered])).toEqual([
      ['TLSv1', false],
      ['TLSv1.1', false],
      ['TLSv1.2', true],
      ['TLSv1.3', true],
    ]);
    expect(value.versions[0]!.detail).toBeTruthy();
    expect(value.versions[3]!.cipher).toMatch(/^TLS_/);
    expect(value.certificate).toMatchObject({
      subject: 'CN=localhost',
      issuer: 'CN=basvakt test CA',
      subjectAltNames: ['DNS:localhost', 'IP Address:127.0.0.1'],
      chainValid: true,
      chainError: null,
      hostnameMatch: true,
      selfSigned: false,
      keyBits: 2048,
      chain: ['CN=localhost', 'CN=basvakt test CA'],
    });
    expect(value.certificate!.daysToExpiry).toBeGreaterThan(0);
    expect(value.certificate!.daysToExpiry).toBeLessThanOrEqual(2);
    expect(value.certificate!.fingerprintSha256).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    expect(value.hsts).toEqual({ maxAge: 31536000, includeSubDomains: true, preload: false, header: HSTS });
    expect(login(target)).toMatchObject({ protocol: 'none', finalStatus: 200, matchesDeclared: null, declared: null });
  });

  it('without the CA file the same chain is not trusted', async () => {
    const value = tls(await probeOne(system(servers.good!.url)));
    expect(value.certificate).toMatchObject({ chainValid: false, hostnameMatch: true, chain: ['CN=localhost'] });
    expect(value.certificate!.chainError).toMatch(/UNABLE_TO_VERIFY_LEAF_SIGNATURE|unable to verify/i);
  });

  it('no HSTS header: hsts null, and that is an observation, not an error', async () => {
    const value = tls(await probeOne(system(servers.noHsts!.url), { caFile: ca.caFile }));
    expect(value).toMatchObject({ hsts: null, hstsError: null, offered: ['TLSv1.2', 'TLSv1.3'] });
  });

  it('expired certificate: chain invalid with CERT_HAS_EXPIRED, notAfter in 2021, negative days; max-age=0 HSTS kept as 0', async () => {
    const value = tls(await probeOne(system(servers.expired!.url), { caFile: ca.caFile }));
    expect(value.certificate).toMatchObject({ chainValid: false, chainError: 'CERT_HAS_EXPIRED', hostnameMatch: true, notAfter: '2021-01-01T00:00:00.000Z', notBefore: '2020-01-01T00:00:00.000Z' });
    expect(value.certificate!.daysToExpiry).toBeLessThan(-365);
    expect(value.hsts).toMatchObject({ maxAge: 0 });
  });

  it('certificate for another name: chain valid, hostname does not match; HSTS without a valid max-age has maxAge null', async () => {
    const value = tls(await probeOne(system(servers.otherName!.url), { caFile: ca.caFile }));
    expect(value.certificate).toMatchObject({ chainValid: true, hostnameMatch: false, subjectAltNames: ['DNS:other.kommun.test'] });
    expect(value.hsts).toMatchObject({ maxAge: null, preload: true });
  });

  it('legacy openssl s_server with TLS 1.0 only: TLS 1.0 offered and nothing else', async () => {
    const value = tls(await probeOne(system(servers.legacy!.url), { caFile: ca.caFile }));
    expect(value.offered).toEqual(['TLSv1']);
    expect(value.versions[0]).toMatchObject({ version: 'TLSv1', offered: true, detail: null });
    expect(value.versions[0]!.cipher).toMatch(/SHA|AES/);
    expect(value.certificate).toMatchObject({ subject: 'CN=localhost', chainValid: true });
  });

  it('a server offering 1.0 to 1.3: all four versions offered', async () => {
    const value = tls(await probeOne(system(servers.allVersions!.url), { caFile: ca.caFile }));
    expect(value.offered).toEqual(['TLSv1', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3']);
  });

  it('http login URL: the tls fact says there is no TLS at all', async () => {
    const target = await probeOne(system(servers.http!.url));
    expect(tls(target)).toEqual({ host: '127.0.0.1', port: servers.http!.port, tls: false, versions: [], offered: [], certificate: null, hsts: null, hstsError: null });
    expect(login(target)).toMatchObject({ protocol: 'none', finalStatus: 200 });
  });

  it('a CA file that cannot be read makes every fact of every system an error naming the file', async () => {
    const target = await probeOne(system(servers.good!.url), { caFile: join(dir, 'missing.pem') });
    expect(target.facts.map((f) => [f.name, f.status])).toEqual([
      ['login', 'error'],
      ['tls', 'error'],
      ['endpoints', 'error'],
    ]);
    expect(failure(target, 'tls')).toMatch(/CA-filen .*missing\.pem kunde inte läsas.*ENOENT/);
    // A file OpenSSL would skip without a word is refused too: otherwise every chain would look untrusted.
    writeFileSync(join(dir, 'garbage.pem'), '-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydGlmaWNhdGU=\n-----END CERTIFICATE-----\n');
    const garbage = await probeOne(system(servers.good!.url), { caFile: join(dir, 'garbage.pem') });
    expect(failure(garbage, 'login')).toMatch(/garbage\.pem innehåller inget läsbart certifikat i PEM-format \(no readable PEM certificate in the CA file\)/);
  });

  it('nothing listening: tls and login are errors naming the system and the address', async () => {
    const closed = await startHttps({ certFile: ca.certFile, keyFile: ca.keyFile }, () => undefined);
    await closed.close();
    const target = await probeOne(system(closed.url), { caFile: ca.caFile });
    expect(failure(target, 'tls')).toMatch(/^TLS för Systemet \(127\.0\.0\.1:\d+\) kunde inte undersökas: .*anslutningen nekades \(connection refused\) \[ECONNREFUSED\]/);
    expect(failure(target, 'login')).toMatch(/^Inloggningssidan för Systemet \(https:\/\/127\.0\.0\.1:\d+\/\): anslutningen nekades/);
  });
});
