import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { freePort } from '../support/servers/ports.js';
import { requirePrograms } from '../support/require.js';
import { startHttp, type Running } from '../support/servers/https.js';
import { SSP_WWW, startSamlIdp, type SamlIdp } from '../support/servers/saml-idp.js';
import { ADMINS_GROUP, AUDIT_DN, SSO_GROUP, startSlapd, SUFFIX, type SlapdServer } from '../support/servers/slapd.js';

/**
 * The system register end to end: the register names the systems and their user groups,
 * the web probe looks at their login pages (a real SAML IdP, SimpleSAMLphp), the directory
 * probe reads the groups' members from real slapd, and the tenant facts count people.
 */
const available = requirePrograms('system register against slapd and SimpleSAMLphp', ['slapd', 'php', 'openssl', `${SSP_WWW}/module.php`]);

const LON_GROUP = `cn=lon,ou=groups,${SUFFIX}`;
// bertil is also in the SSO group (via admins); cecilia and david use only payroll.
const LON_LDIF = `dn: ${LON_GROUP}\nobjectClass: groupOfNames\ncn: lon\nmember: uid=bertil,ou=people,${SUFFIX}\nmember: uid=cecilia,ou=people,${SUFFIX}\nmember: uid=david,ou=people,${SUFFIX}\n`;

interface Finding {
  ruleId: string;
  targetId: string;
  status: string;
  subjects: string[];
  evidence: { path: string; value: unknown }[];
}

describe.runIf(available)('system register: coverage counted in people', () => {
  let slapd: SlapdServer;
  let idp: SamlIdp;
  let noRedirect: Running;
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'basvakt-register-'));
    [slapd, idp, noRedirect] = await Promise.all([
      startSlapd({ variant: 'good', port: await freePort(), tlsPort: await freePort(), extraLdif: LON_LDIF }),
      startSamlIdp(),
      startHttp((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<form>Användarnamn</form>')),
    ]);
  });
  afterAll(async () => {
    await Promise.all([slapd?.dispose(), idp?.stop(), noRedirect?.close()]);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  function writeFiles(): { config: string; register: string } {
    const register = join(dir, 'systemforteckning.yaml');
    writeFileSync(
      register,
      [
        'tenant: kommun',
        'identityProviders:',
        `  - { id: kommun-idp, protocol: saml, url: "${idp.ssoUrl}" }`,
        `mfaGroups: ["${ADMINS_GROUP}"]`,
        'systems:',
        '  - id: procapita',
        '    name: Procapita',
        '    owner: { name: Anna Andersson }',
        '    classification: { confidentiality: 3, integrity: 3, availability: 2 }',
        '    authentication: { sso: saml, identityProvider: kommun-idp, mfaRequired: true }',
        `    userGroups: ["${SSO_GROUP}"]`,
        `    loginUrl: "${idp.redirectLoginUrl}"`,
        '  - id: lon',
        '    name: Visma Lön',
        '    classification: { confidentiality: 2, integrity: 3, availability: 2 }',
        '    authentication: { sso: none }',
        `    userGroups: ["${LON_GROUP}"]`,
        '  - id: skola',
        '    name: Skolplattformen',
        '    classification: { confidentiality: 1, integrity: 2, availability: 2 }',
        '    authentication: { sso: saml, identityProvider: kommun-idp }',
        `    userGroups: ["cn=it-drift,ou=groups,${SUFFIX}"]`,
        `    loginUrl: "${noRedirect.url}/"`,
        '',
      ].join('\n'),
    );
    const config = join(dir, 'agent.yaml');
    writeFileSync(
      config,
      [
        'collector: { url: "https://127.0.0.1:9" }',
        'probes:',
        '  directory:',
        '    options:',
        `      - { url: "${slapd.ldapsUrl}", bindDn: "${AUDIT_DN}", passwordFile: "${slapd.passwordFile}", caFile: "${slapd.caFile}" }`,
        '',
      ].join('\n'),
    );
    return { config, register };
  }

  it('basvakt scan --probe web,directory --evaluate gives SSO and MFA coverage with the numbers behind them', async () => {
    const { config, register } = writeFiles();
    const { code, stdout, stderr } = await runCli(['scan', '--config', config, '--register', register, '--probe', 'web,directory', '--evaluate', '--format', 'json']);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const { report, findings } = JSON.parse(stdout) as { report: { targets: { kind: string; id: string; facts: { name: string; status: string }[] }[] }; findings: Finding[] };
    // One target per register entry, carrying the entry and what the web probe saw.
    const systems = report.targets.filter((t) => t.kind === 'system');
    expect(systems.map((t) => [t.id, t.facts.map((f) => f.name).sort()])).toEqual([
      ['procapita', ['endpoints', 'login', 'register', 'tls']],
      ['lon', ['endpoints', 'login', 'register', 'tls']],
      ['skola', ['endpoints', 'login', 'register', 'tls']],
    ]);
    const find = (ruleId: string, targetId?: string) => findings.find((f) => f.ruleId === ruleId && (targetId === undefined || f.targetId === targetId))!;
    const evidence = (f: Finding, path: string) => f.evidence.find((e) => e.path === path)?.value;

    // SSO users: anna, bertil, frida (Procapita, whose login page redirects to the IdP).
    // All users: those plus cecilia and david (payroll). Skolplattformen declares SAML but
    // its login page is a local form, so it does not count.
    const sso = find('BV-SSO-001');
    expect(sso.status).toBe('pass');
    expect(evidence(sso, 'tenant.identityCoverage.sso.numerator')).toBe(3);
    expect(evidence(sso, 'tenant.identityCoverage.sso.denominator')).toBe(5);
    expect(evidence(sso, 'tenant.identityCoverage.sso.percent')).toBe(60);
    expect(evidence(sso, 'tenant.identityCoverage.sso.systems')).toEqual([
      { id: 'procapita', name: 'Procapita', declared: 'saml', observed: 'confirmed', sso: true, users: 3 },
      { id: 'lon', name: 'Visma Lön', declared: 'none', observed: 'not-probed', sso: false, users: 3 },
      { id: 'skola', name: 'Skolplattformen', declared: 'saml', observed: 'contradicted', sso: false, users: 1 },
    ]);
    expect(find('BV-SSO-010', 'skola').status).toBe('fail');
    expect(find('BV-SSO-010', 'procapita').status).toBe('pass');

    // Procapita is K3 and requires MFA, but anna is not in the MFA group (admins: bertil, frida).
    const mfa = find('BV-MFA-010');
    expect(mfa).toMatchObject({ status: 'fail', subjects: ['Procapita: 1 användare utan MFA'] });
    expect(evidence(mfa, 'tenant.identityCoverage.mfa.withoutMfa')).toEqual(['anna']);
    expect(evidence(mfa, 'tenant.identityCoverage.mfa.sensitiveUsers')).toBe(3);

    // Register rules judge the entries themselves: Visma Lön has no owner.
    expect(find('BV-OWN-001', 'lon').status).toBe('fail');
    expect(find('BV-OWN-001', 'procapita').status).toBe('pass');
  });

  it('a register with an error stops the scan with its file, line and field', async () => {
    const { config } = writeFiles();
    const broken = join(dir, 'trasig.yaml');
    writeFileSync(broken, 'systems:\n  - id: procapita\n    name: Procapita\n    classification: { confidentiality: 7 }\n');
    const { code, stderr, stdout } = await runCli(['scan', '--config', config, '--register', broken, '--probe', 'web', '--evaluate']);
    expect(code).not.toBe(0);
    expect(stdout).toBe('');
    expect(stderr).toContain('trasig.yaml');
    expect(stderr).toMatch(/rad 4|line 4/);
    expect(stderr).toContain('confidentiality');
  });
});
