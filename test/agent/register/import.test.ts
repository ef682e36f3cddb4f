import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InputFileError } from '../../../common/yaml.js';
import {
  decodeText,
  importCsvRegister,
  loadRegister,
  normalizeEntry,
  parseRegisterYaml,
  registerToYaml,
  slugId,
  type Register,
} from '../../../agent/register/index.js';
import { registerToCsv } from './csv-writer.js';
import { EXAMPLE_CSV, EXAMPLE_YAML, problemsOf as refused, TODAY, useTempDir } from './support.js';

const FILE = '/home/it/systemforteckning.csv';

const problemsOf = (lines: string[]) => refused(() => importCsvRegister(lines.join('\r\n'), FILE, { today: TODAY }));

const HEADER = 'system;systemägare;förvaltare;syfte;K;R;T;verksamhetskritisk;driftavtal;driftavtal giltigt till;säkerhetsplan granskad;driftgodkänd;inloggning;idp;mfa;användargrupper;url;loggning;behörighetsgenomgång;återläsningstest;fjärråtkomst;servrar';

describe('system register from CSV', () => {
  const tempDir = useTempDir('basvakt-register-csv-');

  it('imports the example spreadsheet to the same register as the example YAML', async () => {
    const yaml = await loadRegister(EXAMPLE_YAML);
    const csv = await loadRegister(EXAMPLE_CSV);
    // The spreadsheet has no place for the tenant and the MFA groups: those come from --base.
    const { tenant: _tenant, mfaGroups: _mfa, ...rest } = yaml.register;
    expect(csv.register).toEqual(rest);
    // Skolplattformen (line 6) has two user groups on two lines of one cell.
    expect(csv.lines).toEqual([2, 3, 4, 5, 6, 8, 9, 10, 11, 12]);
    const base = parseRegisterYaml('tenant: amal\nmfaGroups: ["cn=mfa-enrolled,ou=groups,dc=amal,dc=se"]\nsystems: []\n', join(tempDir(), 'base.yaml'));
    expect((await loadRegister(EXAMPLE_CSV, { base })).register).toEqual(yaml.register);
  });

  it('writes YAML that loads back to the same register, with the CSV line beside each system', async () => {
    const csv = await loadRegister(EXAMPLE_CSV);
    const text = registerToYaml(csv.register, { source: csv.file, lines: csv.lines, date: TODAY });
    expect(text).toContain('# system-register.example.csv rad 6\n  - id: skolplattform');
    expect(text).toContain('Importerad från system-register.example.csv den 2026-11-23');
    expect(text).not.toMatch(/^[ \t]+$/m);
    expect(parseRegisterYaml(text, join(tempDir(), 'out.yaml')).register).toEqual(csv.register);
  });

  it('reads the brief Swedish header with ";" and lists separated by "|" or line breaks', () => {
    const loaded = importCsvRegister(
      [
        HEADER,
        'Procapita IFO;Anna Andersson;Bo Berg;Socialtjänsten;3;3;2;ja;DA-2023-14;2027-12-31;2026-09-01;2021-05-10;saml;https://idp.amal.se/saml2/idp/SSOService.php;ja;"cn=a,dc=amal,dc=se|cn=b,dc=amal,dc=se";https://procapita.amal.se/;ja;2026-10-01;2026-06-01 00:00;ja (vpn);"procapita-app01\nprocapita-db01"',
        ';;;;;;;;;;;;;;;;;;;;;', // an empty row, as spreadsheets leave them
        'Ciceron;;;;;;;nej;;;;;lokal;;;;;nej;;;nej;',
      ].join('\r\n'),
      FILE,
      { today: TODAY },
    );
    expect(loaded.lines).toEqual([2, 5]); // the first row's last cell spans two lines
    const [procapita, ciceron] = loaded.register.systems;
    expect(procapita).toEqual({
      id: 'procapita-ifo',
      name: 'Procapita IFO',
      category: 'business',
      purpose: 'Socialtjänsten',
      owner: { name: 'Anna Andersson' },
      administrator: { name: 'Bo Berg' },
      classification: { confidentiality: 3, integrity: 3, availability: 2 },
      businessCritical: true,
      operatingAgreement: { reference: 'DA-2023-14', validUntil: '2027-12-31' },
      securityPlan: { reviewedAt: '2026-09-01' },
      operatingApproval: { approvedAt: '2021-05-10' },
      authentication: { sso: 'saml', identityProvider: 'idp-amal-se-saml', mfaRequired: true },
      userGroups: ['cn=a,dc=amal,dc=se', 'cn=b,dc=amal,dc=se'],
      loginUrl: 'https://procapita.amal.se/',
      auditLogging: { enabled: true },
      lastAccessReview: '2026-10-01',
      backup: { lastRestoreTest: '2026-06-01' },
      remoteAccess: { allowed: true, via: 'vpn' },
      hosts: ['procapita-app01', 'procapita-db01'],
    });
    expect(ciceron).toEqual({
      id: 'ciceron',
      name: 'Ciceron',
      category: 'business',
      businessCritical: false,
      authentication: { sso: 'none' },
      auditLogging: { enabled: false },
      remoteAccess: { allowed: false },
    });
    expect(loaded.register.identityProviders).toEqual([{ id: 'idp-amal-se-saml', protocol: 'saml', url: 'https://idp.amal.se/saml2/idp/SSOService.php' }]);
  });

  it('matches headers regardless of case, spaces, punctuation and å/ä/ö, with English aliases', () => {
    const loaded = importCsvRegister('System , SYSTEMAGARE,Business critical,Operating agreement,Agreement valid until\nVisma Lön,David Dahl,yes,Avtal 2019/112,2027-01-31\n', FILE, { today: TODAY });
    expect(loaded.register.systems[0]).toMatchObject({ id: 'visma-lon', owner: { name: 'David Dahl' }, businessCritical: true, operatingAgreement: { validUntil: '2027-01-31' } });
  });

  it('names the CSV line and column of every wrong cell, all at once, and returns nothing', () => {
    const problems = problemsOf([
      HEADER, // 1
      'Procapita IFO;Anna;Bo;;3;5;x2;kanske;;2027-02-30;;;saml;kommun-idp;ja;;ftp://procapita.amal.se;ja;;;hemifrån;', // 2
      'Lifecare;;;;;;;ja;;;;;kerberos;https://idp.amal.se/;;;;;;2099-01-01;nej;', // 3
      'Procapita IFO;;;;;;;;;;;;;;;;;;;;;', // 4
    ]);
    expect(problems).toEqual([
      { path: 'R', line: 2, message: expect.stringContaining('högsta nivån i KLASSA är 4') },
      { path: 'T', line: 2, message: expect.stringContaining('förväntade en nivå 0–4') },
      { path: 'verksamhetskritisk', line: 2, message: '"kanske" — förväntade ja eller nej (expected yes or no)' },
      { path: 'driftavtal', line: 2, message: expect.stringContaining('saknas') },
      { path: 'driftavtal giltigt till', line: 2, message: expect.stringContaining('ogiltigt datum "2027-02-30"') },
      { path: 'idp', line: 2, message: expect.stringContaining('"kommun-idp" finns inte under identityProviders') },
      { path: 'url', line: 2, message: expect.stringContaining('förväntade en https://-adress') },
      { path: 'fjärråtkomst', line: 2, message: expect.stringContaining('förväntade nej, ja, vpn, gateway eller internet') },
      { path: 'idp', line: 3, message: expect.stringContaining('bara när inloggningen är saml eller oidc, inte kerberos') },
      { path: 'återläsningstest', line: 3, message: expect.stringContaining('ligger i framtiden') },
      { path: 'system', line: 4, message: expect.stringContaining('"procapita-ifo" finns redan, på rad 2') },
    ]);
  });

  it('names the line where a multi-line cell starts', () => {
    const problems = problemsOf(['system;syfte;K;R;T', 'Procapita;"rad ett', 'rad två";3;3;3', 'Lifecare;;nio;3;3']);
    expect(problems).toEqual([{ path: 'K', line: 4, message: expect.stringContaining('förväntade en nivå 0–4') }]);
  });

  it('asks for the missing part of a half-filled group of columns', () => {
    expect(problemsOf(['system;systemägarens roll;K;R', 'Procapita;Socialchef;3;'])).toEqual([
      { path: 'R', line: 2, message: 'saknas — förväntade en nivå 0–4 enligt KLASSA (expected a level 0–4)' },
      { path: 'systemägare', line: 2, message: expect.stringContaining('saknas — förväntade text (required) — kolumnen "systemägare" finns inte i filen') },
      { path: 'T', line: 2, message: expect.stringContaining('kolumnen "T" finns inte i filen') },
    ]);
  });

  it('refuses unknown and doubled columns, with the column it probably meant', () => {
    expect(problemsOf(['system;systemägre;syfte;ändamål;kommentar', 'Procapita;Anna;x;y;fråga Bo'])).toEqual([
      { path: 'systemägre', line: 1, message: expect.stringContaining('menade du "systemägare"?') },
      { path: 'ändamål', line: 1, message: expect.stringContaining('samma uppgift som kolumnen "syfte"') },
    ]);
    expect(problemsOf(['namnet;syfte', 'Procapita;x'])).toEqual([
      { path: 'namnet', line: 1, message: expect.stringContaining('okänd kolumn') },
      { path: '', line: 1, message: expect.stringContaining('kolumnen "system" (systemets namn) saknas') },
    ]);
  });

  it('refuses a row with more cells than the header, and a quote that never ends', () => {
    expect(problemsOf(['system;syfte', 'Procapita;x;y'])).toEqual([{ path: '', line: 2, message: expect.stringContaining('raden har 3 fält men rubrikraden 2') }]);
    expect(problemsOf(['system;syfte', 'Procapita;"Social', 'tjänsten'])).toEqual([{ path: '', line: 2, message: expect.stringContaining('avslutas aldrig') }]);
    expect(problemsOf([''])).toEqual([{ path: '', line: undefined, message: expect.stringContaining('filen är tom') }]);
    expect(problemsOf(['system;syfte', ';Socialtjänsten', '---;x'])).toEqual([
      { path: 'system', line: 2, message: expect.stringContaining('saknas') },
      { path: 'system', line: 3, message: expect.stringContaining('kan inte bilda ett id av "---"') },
    ]);
  });

  it('reads UTF-8 with and without BOM, UTF-16 with BOM, and converts Windows-1252 with a note', async () => {
    const text = 'system;systemägare;förvaltare\r\nVisma Lön;Åsa Öberg;Eva Ek\r\n';
    const expected = { id: 'visma-lon', name: 'Visma Lön', category: 'business', owner: { name: 'Åsa Öberg' }, administrator: { name: 'Eva Ek' } };
    const files: [string, Buffer][] = [
      ['utf8.csv', Buffer.from(text, 'utf8')],
      ['bom.csv', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')])],
      ['utf16.csv', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')])],
      ['latin1.csv', Buffer.from(text, 'latin1')],
    ];
    for (const [name, bytes] of files) {
      await writeFile(join(tempDir(), name), bytes);
      const loaded = await loadRegister(join(tempDir(), name));
      expect([name, loaded.register.systems]).toEqual([name, [expected]]);
      expect([name, loaded.notes.length]).toEqual([name, name === 'latin1.csv' ? 1 : 0]);
    }
    expect((await loadRegister(join(tempDir(), 'latin1.csv'))).notes[0]).toContain('lästes som Windows-1252');
    // Windows-1252's own characters beyond Latin-1: the euro sign and the en dash.
    expect(decodeText(Buffer.from([0x80, 0x20, 0x96]), 'x.csv').text).toBe('€ –');
  });

  it('refuses an Excel workbook and binary files with advice', async () => {
    await writeFile(join(tempDir(), 'bok.csv'), Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00]));
    await expect(loadRegister(join(tempDir(), 'bok.csv'))).rejects.toThrow(/Excel-arbetsbok \(\.xlsx\).*spara den som "CSV UTF-8/);
    await writeFile(join(tempDir(), 'binar.csv'), Buffer.from([0x73, 0x00, 0x79]));
    await expect(loadRegister(join(tempDir(), 'binar.csv'))).rejects.toThrow(/ingen textfil/);
  });

  it('makes ids from names: lower case, no diacritics, hyphens', () => {
    expect(slugId('Public 360 – diarium')).toBe('public-360-diarium');
    expect(slugId('Åtgärdsregister (ÄO)')).toBe('atgardsregister-ao');
  });

  it('round-trips any register through a spreadsheet (property)', () => {
    const text = (max: number) =>
      fc
        .string({ unit: fc.constantFrom('a', 'B', 'å', 'Ö', ' ', ';', ',', '"', "'", '-', '1', ':', '#'), minLength: 1, maxLength: max })
        .map((s) => s.trim())
        .filter((s) => s !== '' && !s.startsWith('#') && !/^\d+$/.test(s));
    const date = fc.date({ min: new Date('2000-01-01'), max: new Date('2026-11-20'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
    const level = fc.integer({ min: 0, max: 4 });
    const system = fc.record(
      {
        name: text(30),
        category: fc.constantFrom('business', 'remote-access', 'mail', 'directory', 'infrastructure'),
        purpose: text(60),
        owner: fc.record({ name: text(20), role: text(20) }, { requiredKeys: ['name'] }),
        classification: fc.record({ confidentiality: level, integrity: level, availability: level, assessedAt: date }, { requiredKeys: ['confidentiality', 'integrity', 'availability'] }),
        businessCritical: fc.boolean(),
        personalData: fc.boolean(),
        operatingAgreement: fc.record({ reference: text(20), supplier: text(20), validUntil: date }, { requiredKeys: ['reference'] }),
        authentication: fc.oneof(
          fc.record({ sso: fc.constantFrom('kerberos', 'ldap', 'none'), mfaRequired: fc.boolean() }, { requiredKeys: ['sso'] }),
          fc.record({ sso: fc.constant('saml'), identityProvider: fc.constant('idp-amal-se-saml'), mfaRequired: fc.boolean() }, { requiredKeys: ['sso', 'identityProvider'] }),
        ),
        userGroups: fc.array(fc.constantFrom('cn=a,ou=groups,dc=amal,dc=se', 'cn=b b,dc=amal,dc=se', 'uid=x,dc=se'), { minLength: 1, maxLength: 3 }),
        auditLogging: fc.record({ enabled: fc.boolean(), destination: text(20) }, { requiredKeys: ['enabled'] }),
        lastAccessReview: date,
        backup: fc.record({ lastRestoreTest: date, offlineCopy: fc.boolean() }, { requiredKeys: [] }).filter((b) => Object.keys(b).length > 0),
        remoteAccess: fc.oneof(fc.constant({ allowed: false }), fc.constant({ allowed: true }), fc.constantFrom('vpn', 'gateway', 'internet').map((via) => ({ allowed: true, via }))),
        secureTransfer: fc.boolean(),
        hosts: fc.array(fc.constantFrom('app01', 'db01.amal.se', '10.1.2.3'), { minLength: 1, maxLength: 3 }),
        endpoints: fc.array(
          fc.record({ protocol: fc.constantFrom('ldaps', 'smtp', 'https'), host: fc.constantFrom('mail.amal.se', 'dc1'), port: fc.integer({ min: 1, max: 65535 }) }, { requiredKeys: ['protocol', 'host'] }),
          { minLength: 1, maxLength: 2 },
        ),
      },
      { requiredKeys: ['name', 'category'] },
    );
    const registers = fc.uniqueArray(system, { minLength: 1, maxLength: 5, selector: (s) => slugId(s.name) }).filter((systems) => systems.every((s) => slugId(s.name) !== ''));
    fc.assert(
      fc.property(registers, fc.constantFrom(';', ','), fc.constantFrom(' | ', '\n'), (systems, delimiter, listSeparator) => {
        const register = {
          identityProviders: [{ id: 'idp-amal-se-saml', protocol: 'saml', url: 'https://idp.amal.se/saml2/idp/SSOService.php' }],
          systems: systems.map((s) => ({ id: slugId(s.name), ...s })),
        } as Register;
        const valid = parseRegisterYaml(registerToYaml(register), 'original.yaml', { today: TODAY }).register;
        const csv = registerToCsv(valid, { delimiter, listSeparator });
        const imported = importCsvRegister(csv, 'rundresa.csv', { today: TODAY }).register;
        const normalized = (r: Register) => r.systems.map((s) => normalizeEntry(s, r));
        expect(normalized(imported)).toEqual(normalized(valid));
      }),
      { numRuns: 60 },
    );
  });

  it('refuses hostile or broken spreadsheets with problems, never by crashing (property)', () => {
    const cell = fc.oneof(
      fc.constantFrom('', 'ja', 'nej', 'kanske', '3', '9', '2025-02-30', 'saml', 'https://idp.amal.se/', 'kommun-idp', '"', 'ftp://x', 'a|b', '__proto__', 'constructor'),
      fc.string({ maxLength: 12 }),
    );
    const header = fc.shuffledSubarray(['system', 'id', 'K', 'R', 'T', 'mfa', 'idp', 'inloggning', 'driftavtal giltigt till', 'servrar', 'anslutningar', 'okänd', 'fjärråtkomst'], { minLength: 1 });
    fc.assert(
      fc.property(header, fc.array(fc.array(cell, { maxLength: 14 }), { maxLength: 6 }), fc.constantFrom(';', ','), (columns, rows, delimiter) => {
        const text = [columns, ...rows].map((r) => r.join(delimiter)).join('\r\n');
        try {
          const loaded = importCsvRegister(text, FILE, { today: TODAY });
          expect(loaded.register.systems.length).toBe(loaded.lines.length);
        } catch (error) {
          expect(error).toBeInstanceOf(InputFileError);
          for (const p of (error as InputFileError).problems) expect(p.message.length).toBeGreaterThan(0);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('leaves the example files as they are (the CSV is UTF-8 with BOM and CRLF, as Excel saves it)', async () => {
    const bytes = await readFile(EXAMPLE_CSV);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(bytes.toString('utf8')).toContain('\r\n');
  });
});
