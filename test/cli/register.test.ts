import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseRegisterYaml } from '../../agent/register/index.js';
import { EXAMPLE_CSV, EXAMPLE_YAML, useTempDir } from '../agent/register/support.js';
import { runCli } from '../support/cli.js';

describe('basvakt register', () => {
  const tempDir = useTempDir('basvakt-cli-register-');

  it('checks the example register and sums it up in Swedish, or in English on request', async () => {
    const sv = await runCli(['register', 'check', EXAMPLE_YAML]);
    expect(sv.code, sv.stderr).toBe(0);
    expect(sv.stdout).toContain('10 system, varav 8 verksamhetskritiska; 8 med enkel inloggning');
    expect(sv.stdout).toContain('systemägare saknas: 1 — Skolplattformen');
    expect(sv.stdout).toContain('driftavtal som har gått ut: 1 — Tieto Education (2025-12-31)');
    expect(sv.stdout).toContain('klassning (K/R/T) saknas: 1 — Ciceron');
    expect(sv.stdout).toContain('Registret är giltigt.');
    const en = await runCli(['register', 'check', EXAMPLE_YAML, '--lang', 'en']);
    expect(en.stdout).toContain('10 systems, 8 business-critical');
    expect(en.stdout).toContain('no system owner: 1 — Skolplattformen');
  });

  it('checks a CSV spreadsheet the same way', async () => {
    const result = await runCli(['register', 'check', EXAMPLE_CSV]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('10 system, varav 8 verksamhetskritiska');
  });

  it('lists every problem of a broken register with file, line and field, and exits 1', async () => {
    const file = join(tempDir(), 'trasig.yaml');
    await writeFile(file, ['systems:', '  - id: procapita', '    name: Procapita', '    category: verksamhet', '    ownr: { name: Anna }', ''].join('\n'));
    const result = await runCli(['register', 'check', file]);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(`${file}: 2 fel — ingenting lästes in`);
    expect(result.stderr).toContain('trasig.yaml:rad 4: systems[0].category: ogiltigt värde "verksamhet"');
    expect(result.stderr).toContain('trasig.yaml:rad 5: systems[0].ownr: okänt fält (unknown field) — menade du "owner"?');
  });

  it('imports a spreadsheet to commented YAML that loads, and writes nothing when a row is wrong', async () => {
    const output = join(tempDir(), 'system-register.yaml');
    const result = await runCli(['register', 'import', EXAMPLE_CSV, '--output', output]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain(`10 system skrevs till ${output}`);
    const text = await readFile(output, 'utf8');
    expect(text).toMatch(/^# Systemförteckning \(system register\) för basvakt\./);
    expect(parseRegisterYaml(text, output).register.systems).toHaveLength(10);

    const again = await runCli(['register', 'import', EXAMPLE_CSV, '--output', output]);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('finns redan — välj en annan fil eller lägg till --force');

    const broken = join(tempDir(), 'trasig.csv');
    await writeFile(broken, 'system;K;R;T;mfa\r\nProcapita;3;3;2;ja\r\nLifecare;3;3;2;kanske\r\n', 'latin1');
    const fresh = join(tempDir(), 'ny.yaml');
    const refused = await runCli(['register', 'import', broken, '--output', fresh]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('trasig.csv:rad 3: mfa: "kanske" — förväntade ja eller nej');
    expect(await readdir(tempDir())).not.toContain('ny.yaml');
    expect((await readdir(tempDir())).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('imports to standard output, takes tenant and MFA groups from --base, and notes a Windows-1252 file', async () => {
    const csv = join(tempDir(), 'latin1.csv');
    await writeFile(csv, 'system;systemägare\r\nVisma Lön;Åsa Öberg\r\n', 'latin1');
    const base = join(tempDir(), 'bas.yaml');
    await writeFile(base, 'tenant: amal\nmfaGroups: ["cn=mfa,dc=amal,dc=se"]\nsystems: []\n');
    const result = await runCli(['register', 'import', csv, '--base', base]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain('lästes som Windows-1252');
    const register = parseRegisterYaml(result.stdout, 'ut.yaml').register;
    expect(register).toEqual({
      tenant: 'amal',
      mfaGroups: ['cn=mfa,dc=amal,dc=se'],
      systems: [{ id: 'visma-lon', name: 'Visma Lön', category: 'business', owner: { name: 'Åsa Öberg' } }],
    });
  });

  it('explains wrong use', async () => {
    const noFile = await runCli(['register', 'check']);
    expect(noFile.code).toBe(2);
    expect(noFile.stderr).toContain('ange en fil: basvakt register check FIL');
    const yamlImport = await runCli(['register', 'import', EXAMPLE_YAML]);
    expect(yamlImport.stderr).toContain('import läser en .csv-fil');
    const action = await runCli(['register', 'visa', EXAMPLE_YAML]);
    expect(action.stderr).toContain('skriv "register check FIL" eller "register import FIL.csv"');
    const help = await runCli(['register', '--help']);
    expect(help.stdout).toContain('Användning: basvakt register check FIL');
    const top = await runCli(['--help']);
    expect(top.stdout).toMatch(/register\s+Systemförteckningen/);
  });
});
