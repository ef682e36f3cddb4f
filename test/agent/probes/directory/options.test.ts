import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { z } from 'zod';
import { createAgentConfigSchema } from '../../../../agent/config/schema.js';
import { readBindPassword } from '../../../../agent/probes/directory/connection.js';
import { directoryEntrySchema } from '../../../../agent/probes/directory/options.js';
import { escapeFilter, Row } from '../../../../agent/probes/directory/search.js';
import { directoryAdhoc } from '../../../../cli/commands/scan-adhoc/directory.js';

const entrySchema = directoryEntrySchema(z.string().transform((p) => `/etc/basvakt/${p}`));

describe('directory probe options', () => {
  it('fills in safe defaults: TLS required, 90 days, pages of 1000', () => {
    const entry = entrySchema.parse({ url: 'ldaps://dc1.kommun.se', bindDn: 'CN=svc,DC=kommun,DC=se', passwordFile: 'pw' });
    expect(entry).toMatchObject({ passwordFile: '/etc/basvakt/pw', allowPlainBind: false, kind: 'auto', inactiveDays: 90, staleComputerDays: 90, pageSize: 1000, groups: {}, privilegedGroups: [] });
  });

  it('takes exactly one of passwordFile and passwordEnv, and never a password', () => {
    expect(entrySchema.safeParse({ url: 'ldaps://dc1', bindDn: 'x', passwordFile: 'a', passwordEnv: 'B' }).success).toBe(false);
    expect(entrySchema.safeParse({ url: 'ldaps://dc1', bindDn: 'x' }).success).toBe(false);
    expect(entrySchema.safeParse({ url: 'ldaps://dc1', bindDn: 'x', passwordEnv: 'BASVAKT_BIND_PASSWORD' }).success).toBe(true);
    expect(entrySchema.safeParse({ url: 'ldaps://dc1', bindDn: 'x', passwordFile: 'a', password: 'hemligt' }).success).toBe(false);
  });

  it('refuses an inactivity limit shorter than the lastLogonTimestamp lag allows, and URLs with credentials or paths', () => {
    expect(entrySchema.safeParse({ url: 'ldaps://dc1', bindDn: 'x', passwordFile: 'a', inactiveDays: 14 }).success).toBe(false);
    expect(entrySchema.safeParse({ url: 'ldaps://admin:pw@dc1', bindDn: 'x', passwordFile: 'a' }).success).toBe(false);
    expect(entrySchema.safeParse({ url: 'https://dc1', bindDn: 'x', passwordFile: 'a' }).success).toBe(false);
    expect(entrySchema.safeParse({ url: 'ldap://dc1:389/dc=x', bindDn: 'x', passwordFile: 'a' }).success).toBe(false);
  });

  it('the commented example in config/agent.example.yaml is a valid directory section', () => {
    const example = readFileSync(join(import.meta.dirname, '../../../../config/agent.example.yaml'), 'utf8');
    const lines = example.split('\n');
    const start = lines.findIndex((l) => l.startsWith('  # directory:'));
    expect(start).toBeGreaterThan(0);
    const block: string[] = [];
    for (const line of lines.slice(start)) {
      if (!line.startsWith('  #')) break;
      block.push(line.replace(/^  # ?/, '  '));
    }
    const doc = parse(`collector:\n  url: https://basvakt.kommun.se\nprobes:\n${block.join('\n')}\n`);
    const config = createAgentConfigSchema('/etc/basvakt').parse(doc);
    expect(config.probes.directory).toMatchObject({ enabled: true, schedule: '15 3 * * *' });
    expect(config.probes.directory?.options?.[0]).toMatchObject({ url: 'ldaps://dc1.kommun.se', inactiveDays: 90, groups: { systems: { Procapita: expect.any(String) } } });
  });

  it('a config without a directory section runs no directory probe', () => {
    const config = createAgentConfigSchema('/etc/basvakt').parse({ collector: { url: 'https://basvakt.kommun.se' } });
    expect(config.probes.directory).toBeUndefined();
  });
});

describe('bind password', () => {
  const entry = entrySchema.parse({ url: 'ldaps://dc1', bindDn: 'x', passwordFile: 'pw' });

  it('drops only the trailing newline of the file', async () => {
    expect(await readBindPassword(entry, async () => ' mellanslag kvar \n')).toBe(' mellanslag kvar ');
  });

  it('names the file, never the password, when it fails', async () => {
    await expect(readBindPassword(entry, async () => '\n')).rejects.toThrow(/\/etc\/basvakt\/pw är tom/);
    await expect(readBindPassword(entry, () => Promise.reject(Object.assign(new Error('x'), { code: 'EACCES' })))).rejects.toThrow(/EACCES/);
  });

  it('reads the environment variable', async () => {
    process.env.BASVAKT_TEST_BIND = 'från-miljön';
    try {
      expect(await readBindPassword(entrySchema.parse({ url: 'ldaps://dc1', bindDn: 'x', passwordEnv: 'BASVAKT_TEST_BIND' }))).toBe('från-miljön');
      await expect(readBindPassword(entrySchema.parse({ url: 'ldaps://dc1', bindDn: 'x', passwordEnv: 'BASVAKT_TEST_UNSET' }))).rejects.toThrow(/BASVAKT_TEST_UNSET/);
    } finally {
      delete process.env.BASVAKT_TEST_BIND;
    }
  });
});

describe('search helpers', () => {
  it('reads attributes whatever case the server used', () => {
    const row = new Row({ dn: 'CN=a', sAMAccountName: 'anna', userAccountControl: ['512'], member: [], objectSid: Buffer.from([1, 0, 0, 0, 0, 0, 0, 5]) });
    expect(row.get('samaccountname')).toBe('anna');
    expect(row.get('userAccountControl')).toBe('512');
    expect(row.get('member')).toBeUndefined();
    expect(row.all('missing')).toEqual([]);
    expect(sidOf(row)).toBe('S-1-5');
  });

  it('escapes filter values (RFC 4515)', () => {
    expect(escapeFilter('CN=Smith (IT)*,DC=x\\y')).toBe('CN=Smith \\28IT\\29\\2a,DC=x\\5cy');
  });
});

function sidOf(row: Row): string | undefined {
  const b = row.buffer('objectsid');
  return b ? `S-${b[0]}-${b.readUIntBE(2, 6)}` : undefined;
}

describe('basvakt scan --probe directory flags', () => {
  it('gives no options when none of its flags are used', async () => {
    expect(await directoryAdhoc.fromFlags({}, 'sv')).toBeUndefined();
  });

  it('builds one directory entry, with paths resolved and StartTLS unless plain binds are allowed', async () => {
    const options = await directoryAdhoc.fromFlags({ url: 'ldap://127.0.0.1:389', 'bind-dn': 'cn=x', 'password-file': 'pw.txt', ca: 'ca.pem', 'privileged-group': ['cn=admins'] }, 'sv');
    expect(options).toEqual([expect.objectContaining({ url: 'ldap://127.0.0.1:389', bindDn: 'cn=x', passwordFile: join(process.cwd(), 'pw.txt'), caFile: join(process.cwd(), 'ca.pem'), allowPlainBind: false, privilegedGroups: ['cn=admins'] })]);
  });

  it('takes the password from BASVAKT_BIND_PASSWORD when no file is given, and demands one of them', async () => {
    await expect(directoryAdhoc.fromFlags({ url: 'ldaps://dc1', 'bind-dn': 'cn=x' }, 'en')).rejects.toThrow(/--password-file/);
    process.env.BASVAKT_BIND_PASSWORD = 'x';
    try {
      expect(await directoryAdhoc.fromFlags({ url: 'ldaps://dc1', 'bind-dn': 'cn=x' }, 'en')).toEqual([expect.objectContaining({ passwordEnv: 'BASVAKT_BIND_PASSWORD' })]);
    } finally {
      delete process.env.BASVAKT_BIND_PASSWORD;
    }
  });

  it('explains a bad URL or a missing bind DN', async () => {
    await expect(directoryAdhoc.fromFlags({ url: 'ldaps://dc1', 'password-file': 'pw' }, 'sv')).rejects.toThrow(/--bind-dn/);
    await expect(directoryAdhoc.fromFlags({ url: 'http://dc1', 'bind-dn': 'x', 'password-file': 'pw' }, 'sv')).rejects.toThrow(/url/);
  });
});
