import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { InputFileError } from '../../../common/yaml.js';
import { loadRegister, parseRegisterYaml } from '../../../agent/register/index.js';
import { EXAMPLE_YAML as EXAMPLE, problemsOf as refused, TODAY, useTempDir } from './support.js';

const FILE = '/etc/basvakt/system-register.yaml';

const problemsOf = (lines: string[]) => refused(() => parseRegisterYaml(lines.join('\n'), FILE, { today: TODAY }));

/** A valid register with one system, lines numbered from 1; `extra` goes inside the system. */
function register(extra: string[] = [], head: string[] = []): string[] {
  return [
    ...head,
    'identityProviders:',
    '  - { id: kommun-idp, protocol: saml, url: "https://idp.amal.se/saml2/idp/SSOService.php" }',
    'systems:',
    '  - id: procapita',
    '    name: Procapita IFO',
    '    category: business',
    ...extra.map((l) => `    ${l}`),
  ];
}

describe('system register (YAML)', () => {
  const tempDir = useTempDir('basvakt-register-');

  it('loads the annotated example, with the line of every system', async () => {
    const loaded = await loadRegister(EXAMPLE);
    expect(loaded.register.tenant).toBe('amal');
    expect(loaded.register.systems.map((s) => s.id)).toEqual([
      'procapita',
      'lifecare',
      'visma-lon',
      'public-360',
      'skolplattform',
      'tieto-education',
      'ciceron',
      'e-post',
      'vpn',
      'active-directory',
    ]);
    const procapita = loaded.register.systems[0]!;
    expect(procapita.owner).toEqual({ name: 'Anna Andersson', role: 'Socialchef', email: 'anna.andersson@amal.se' });
    expect(procapita.classification).toEqual({ confidentiality: 3, integrity: 3, availability: 2, assessedAt: '2025-03-01' });
    expect(procapita.operatingAgreement?.validUntil).toBe('2027-12-31');
    expect(loaded.lines[0]).toBe(35);
    expect(loaded.notes).toEqual([]);
  });

  it('accepts a system with nothing but id, name and category: the rules judge what is missing', () => {
    const loaded = parseRegisterYaml(register().join('\n'), FILE, { today: TODAY });
    expect(loaded.register.systems).toEqual([{ id: 'procapita', name: 'Procapita IFO', category: 'business' }]);
    expect(loaded.lines).toEqual([4]);
  });

  it('names an unknown field at its own line, with the field it probably meant', () => {
    expect(problemsOf(register(['ownr: { name: Anna }', 'classification: { confidentiality: 3, integrity: 3, availabilty: 2 }']))).toEqual([
      { path: 'systems[0].ownr', line: 7, message: expect.stringContaining('menade du "owner"?') },
      { path: 'systems[0].classification.availability', line: 8, message: expect.stringContaining('saknas — förväntade en nivå 0–4') },
      { path: 'systems[0].classification.availabilty', line: 8, message: expect.stringContaining('menade du "availability"?') },
    ]);
    const [top] = problemsOf(register([], ['tennant: amal']));
    expect(top).toEqual({ path: 'tennant', line: 1, message: expect.stringContaining('menade du "tenant"?') });
  });

  it('refuses dates that do not exist, are not YYYY-MM-DD, or lie in the future for something that happened', () => {
    const problems = problemsOf(
      register([
        'operatingAgreement: { reference: DA-1, validUntil: 2025-02-30 }',
        'lastAccessReview: 2026-13-01',
        'securityPlan: { reviewedAt: "1 mars 2025" }',
        'backup: { lastRestoreTest: 2052-06-01 }',
        'operatingApproval: { approvedAt: 2026-11-24 }',
      ]),
    );
    expect(problems).toEqual([
      { path: 'systems[0].operatingAgreement.validUntil', line: 7, message: expect.stringContaining('ogiltigt datum "2025-02-30"') },
      { path: 'systems[0].lastAccessReview', line: 8, message: expect.stringContaining('ÅÅÅÅ-MM-DD') },
      { path: 'systems[0].securityPlan.reviewedAt', line: 9, message: expect.stringContaining('ogiltigt datum "1 mars 2025"') },
      { path: 'systems[0].backup.lastRestoreTest', line: 10, message: expect.stringContaining('ligger i framtiden') },
    ]);
    // One day of slack for Swedish time ahead of UTC: tomorrow (UTC) is accepted, later is not.
    expect(problemsOf(register(['operatingApproval: { approvedAt: 2026-11-25 }']))[0]!.message).toContain('ligger i framtiden');
  });

  it('keeps the classification within KLASSA 0–4, as whole numbers', () => {
    expect(problemsOf(register(['classification: { confidentiality: 5, integrity: -1, availability: 2.5 }']))).toEqual([
      { path: 'systems[0].classification.confidentiality', line: 7, message: expect.stringContaining('högsta nivån i KLASSA är 4') },
      { path: 'systems[0].classification.integrity', line: 7, message: expect.stringContaining('lägsta nivån är 0') },
      { path: 'systems[0].classification.availability', line: 7, message: expect.stringContaining('heltal') },
    ]);
    expect(problemsOf(register(['classification: { confidentiality: "3", integrity: 3, availability: 2 }']))[0]).toEqual({
      path: 'systems[0].classification.confidentiality',
      line: 7,
      message: expect.stringContaining('förväntade en nivå 0–4'),
    });
  });

  it('takes http(s) login addresses only, without user name or password', () => {
    expect(problemsOf(register(['loginUrl: "https://anna:hemligt@procapita.amal.se/"']))).toEqual([
      { path: 'systems[0].loginUrl', line: 7, message: expect.stringContaining('användarnamn eller lösenord hör inte hemma') },
    ]);
    expect(problemsOf(register(['loginUrl: ftp://procapita.amal.se/']))[0]!.message).toContain('förväntade en https://-adress');
    expect(problemsOf(register(['loginUrl: procapita.amal.se']))[0]!.message).toContain('ogiltig adress');
  });

  it('checks identity providers: declared, speaking the system’s protocol, only for SAML and OIDC', () => {
    expect(problemsOf(register(['authentication: { sso: saml, identityProvider: kommun-ipd }']))).toEqual([
      { path: 'systems[0].authentication.identityProvider', line: 7, message: expect.stringContaining('"kommun-ipd" finns inte under identityProviders — deklarerade: kommun-idp') },
    ]);
    expect(problemsOf(register(['authentication: { sso: saml }']))[0]).toEqual({
      path: 'systems[0].authentication.identityProvider',
      line: 7,
      message: expect.stringContaining('saknas — inloggning med saml går via en identitetsleverantör; ange en av: kommun-idp'),
    });
    expect(problemsOf(register(['authentication: { sso: oidc, identityProvider: kommun-idp }']))[0]!.message).toContain('"kommun-idp" talar saml, men systemet loggar in med oidc');
    expect(problemsOf(register(['authentication: { sso: kerberos, identityProvider: kommun-idp }']))[0]!.message).toContain('anges bara för inloggning med saml eller oidc');
  });

  it('refuses two systems with one id, naming where the first one is', () => {
    const lines = register();
    lines.push('  - id: procapita', '    name: Procapita (test)', '    category: business');
    expect(problemsOf(lines)).toEqual([{ path: 'systems[1].id', line: 7, message: expect.stringContaining('"procapita" finns redan, systems[0] på rad 4') }]);
  });

  it('checks ids, directory groups, enums and remote access', () => {
    const problems = problemsOf([
      'tenant: Åmål',
      'systems:',
      '  - id: Procapita_IFO', // 3
      '    name: Procapita IFO',
      '    category: verksamhetssystem', // 5
      '    userGroups: [procapita-users]', // 6
      '    remoteAccess: { allowed: false, via: vpn }', // 7
      '    endpoints: [{ protocol: imap, host: mail.amal.se, port: 70000 }]', // 8
      '    owner: { name: "", email: anna }', // 9
    ]);
    expect(problems).toEqual([
      { path: 'tenant', line: 1, message: expect.stringContaining('små bokstäver a–z') },
      { path: 'systems[0].id', line: 3, message: expect.stringContaining('små bokstäver a–z') },
      { path: 'systems[0].category', line: 5, message: expect.stringContaining('"business", "remote-access", "mail", "directory", "infrastructure"') },
      { path: 'systems[0].userGroups[0]', line: 6, message: expect.stringContaining('förväntade ett DN') },
      { path: 'systems[0].remoteAccess.via', line: 7, message: expect.stringContaining('via anges bara när allowed är true') },
      { path: 'systems[0].endpoints[0].protocol', line: 8, message: expect.stringContaining('"ldap", "ldaps", "smtp", "smtps", "https"') },
      { path: 'systems[0].endpoints[0].port', line: 8, message: expect.stringContaining('port 1–65535') },
      { path: 'systems[0].owner.name', line: 9, message: expect.stringContaining('får inte vara tom') },
      { path: 'systems[0].owner.email', line: 9, message: expect.stringContaining('förväntade en e-postadress') },
    ]);
  });

  it('reports every problem of a broken file at once, cross-field ones too, and loads nothing', async () => {
    const file = join(tempDir(), 'broken.yaml');
    const lines = register(['classification: { confidentiality: 9, integrity: 3, availability: 2 }']);
    lines.push('  - id: procapita', '    name: Dubblett', '    category: business', '    authentication: { sso: oidc, identityProvider: saknas }');
    await writeFile(file, lines.join('\n'));
    const error = await loadRegister(file, { today: TODAY }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(InputFileError);
    const problems = (error as InputFileError).problems;
    expect(problems.map((p) => [p.path, p.line])).toEqual([
      ['systems[0].classification.confidentiality', 7],
      ['systems[1].id', 8],
      ['systems[1].authentication.identityProvider', 11],
    ]);
    expect((error as InputFileError).message).toContain(`${file}:rad 7: systems[0].classification.confidentiality:`);
  });

  it('refuses any malformed register with problems that name a line, never by crashing (property)', () => {
    const value = fc.oneof(fc.constantFrom(null, true, 3, 9, -1, 'saml', 'kommun-idp', '2025-02-30', 'https://x', '', '__proto__'), fc.string({ maxLength: 8 }), fc.object({ maxDepth: 1 }));
    const field = fc.constantFrom('id', 'name', 'category', 'owner', 'classification', 'authentication', 'operatingAgreement', 'backup', 'remoteAccess', 'hosts', 'ownr', 'constructor');
    const system = fc.dictionary(field, value, { maxKeys: 6 });
    fc.assert(
      fc.property(fc.array(system, { maxLength: 4 }), fc.option(fc.array(fc.dictionary(fc.constantFrom('id', 'protocol', 'url'), value))), (systems, identityProviders) => {
        const text = stringify({ ...(identityProviders ? { identityProviders } : {}), systems });
        try {
          parseRegisterYaml(text, FILE, { today: TODAY });
        } catch (error) {
          expect(error).toBeInstanceOf(InputFileError);
          for (const p of (error as InputFileError).problems) expect(p.line).toBeGreaterThan(0);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('says what is wrong with a missing, empty or unparsable file', async () => {
    await expect(loadRegister(join(tempDir(), 'finns-inte.yaml'))).rejects.toThrow(/filen finns inte/);
    expect(problemsOf([''])).toEqual([{ path: 'systems', line: undefined, message: expect.stringContaining('saknas') }]);
    expect(problemsOf(['systems:', '  - id: a', '   name: b'])[0]!.line).toBe(3);
  });
});
