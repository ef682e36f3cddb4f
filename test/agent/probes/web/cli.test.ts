import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../support/cli.js';
import { requirePrograms } from '../../../support/require.js';
import { issueLeaf, startHttps, startLegacyTls10, type Running } from '../../../support/servers/https.js';
import { makeTestCa, type TestCa } from '../../../support/servers/tls-ca.js';

/**
 * End to end through the compiled command, as a user runs it: `basvakt scan --probe web
 * --url … --ca … --evaluate --format json` against a legacy TLS 1.0-only server and a good
 * one, and the CRYPTO and SSO findings that come out.
 */
const available = requirePrograms('web probe end to end', ['openssl']);

const WEB_RULE = /^BV-(CRY-03\d|SSO-01\d)$/;

/** No endpoints given on the command line: the endpoint rules do not apply. */
const NO_ENDPOINTS = { 'BV-CRY-034': 'not_applicable', 'BV-CRY-035': 'not_applicable', 'BV-CRY-036': 'not_applicable' };

interface Finding {
  ruleId: string;
  status: string;
  subjects: string[];
  targetKind: string;
  targetId: string;
}

describe.runIf(available)('basvakt scan --probe web', () => {
  let dir: string;
  let ca: TestCa;
  let legacy: Running;
  let good: Running;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'basvakt-web-cli-'));
    ca = makeTestCa(dir);
    // A year of validity, so that only what the servers are set up to get wrong fails.
    const leaf = issueLeaf(ca, dir, 'web', { san: 'DNS:localhost,IP:127.0.0.1', days: 365 });
    legacy = await startLegacyTls10(leaf);
    good = await startHttps(leaf, (_req, res) => res.writeHead(200, { 'Strict-Transport-Security': 'max-age=31536000', 'Content-Type': 'text/html' }).end('<form></form>'));
  });
  afterAll(async () => {
    await Promise.all([legacy?.close(), good?.close()]);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const scan = async (args: string[]) => {
    const { code, stdout, stderr } = await runCli(['scan', '--probe', 'web', ...args, '--evaluate', '--format', 'json']);
    expect([code, stderr]).toEqual([0, '']);
    const output = JSON.parse(stdout) as { report: { targets: { kind: string; id: string; facts: { name: string; status: string }[] }[] }; findings: Finding[] };
    // The register's rules judge system targets too; without a register they are unknown, which is theirs to test.
    const web = output.findings.filter((f) => f.targetKind === 'system' && WEB_RULE.test(f.ruleId));
    return { output, status: Object.fromEntries(web.map((f) => [f.ruleId, f.status])), subjects: Object.fromEntries(web.map((f) => [f.ruleId, f.subjects])) };
  };

  it('a TLS 1.0-only server without HSTS: BV-CRY-031 and BV-CRY-033 fail, the rest of its CRYPTO passes', async () => {
    const { output, status, subjects } = await scan(['--url', legacy.url, '--ca', join(dir, 'ca.crt')]);
    expect(output.report.targets.map((t) => [t.kind, t.id, t.facts.map((f) => `${f.name}:${f.status}`)])).toEqual([['system', legacy.url, ['login:ok', 'tls:ok', 'endpoints:ok']]]);
    expect(status).toEqual({ ...NO_ENDPOINTS, 'BV-CRY-030': 'pass', 'BV-CRY-031': 'fail', 'BV-CRY-032': 'pass', 'BV-CRY-033': 'fail', 'BV-SSO-010': 'not_applicable' });
    expect(subjects['BV-CRY-031']).toEqual(['TLSv1']);
    expect(subjects['BV-CRY-033']).toEqual(['Strict-Transport-Security saknas (missing)']);
  });

  it('a good server declared to use an IdP it does not redirect to: CRYPTO passes, BV-SSO-010 fails', async () => {
    const { status, subjects } = await scan(['--url', good.url, '--ca', join(dir, 'ca.crt'), '--idp', 'https://adfs.kommun.se/adfs/ls/']);
    expect(status).toEqual({ ...NO_ENDPOINTS, 'BV-CRY-030': 'pass', 'BV-CRY-031': 'pass', 'BV-CRY-032': 'pass', 'BV-CRY-033': 'pass', 'BV-SSO-010': 'fail' });
    expect(subjects['BV-SSO-010']).toEqual(['ingen omdirigering till någon identitetsleverantör (no SSO redirect)']);
  });

  it('without the CA the certificate fails; flags that do not fit are usage errors', async () => {
    const { status } = await scan(['--url', good.url]);
    expect(status['BV-CRY-032']).toBe('fail');
    const bad = await runCli(['scan', '--probe', 'web', '--url', good.url, '--idp', 'ftp://idp.kommun.se/']);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/web: --idp: identityProvider\.url: förväntade en https:\/\/- eller http:\/\/-adress, fick ftp:/);
    const noUrl = await runCli(['scan', '--probe', 'web', '--idp', 'https://idp.kommun.se/']);
    expect(noUrl.stderr).toMatch(/web: --idp kräver --url https:\/\/…/);
  });
});
