import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCommand } from '../../../../../agent/probes/exec.js';
import { UnsupportedFact } from '../../../../../agent/probes/fact.js';
import { createLinuxContext } from '../../../../../agent/probes/host/linux/context.js';
import { collectSmbServer, parseTestparm } from '../../../../../agent/probes/host/linux/smb.js';
import type { ProbeContext } from '../../../../../agent/probes/probe.js';
import { hostFacts } from '../../../../../report/facts/host.js';
import { requirePrograms } from '../../../../support/require.js';
import { failed, linuxContext, NO_SYSTEM_INFO, ok, silentLogger } from './support.js';

/** CRY-04 on Linux: Samba's effective settings from the real testparm, on smb.conf files written here. */
const available = requirePrograms('smbServer against Samba testparm', ['smbd', 'testparm']);

describe.runIf(available)('collectSmbServer with the real testparm', () => {
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'basvakt-smb-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const ctx: ProbeContext = { exec: runCommand, readFile: (p) => readFile(p, 'utf8'), now: () => new Date(), logger: silentLogger };
  const collect = async (name: string, conf: string) => {
    const file = join(dir, name);
    await writeFile(file, conf);
    const { value, source } = await collectSmbServer(createLinuxContext(ctx, { timeoutMs: 20_000 }, { systemInfo: NO_SYSTEM_INFO }), file);
    expect(hostFacts.smbServer.value.safeParse(value).success).toBe(true);
    expect(source).toBe(`testparm -s -v ${file}`);
    return value;
  };

  it('Samba defaults on a file server: SMB1 off (SMB2_02), signing not required', async () => {
    expect(await collect('default.conf', '[global]\n  workgroup = KOMMUN\n[dela]\n  path = /srv/dela\n')).toEqual({
      server: 'samba',
      signingRequired: false,
      smb1Enabled: false,
      settings: { 'server max protocol': 'SMB3', 'server min protocol': 'SMB2_02', 'server role': 'auto', 'server signing': 'default' },
    });
  });

  it('server signing = mandatory and SMB3 minimum: required, no SMB1', async () => {
    expect(await collect('hard.conf', '[global]\n  server signing = mandatory\n  server min protocol = SMB3_11\n')).toMatchObject({ signingRequired: true, smb1Enabled: false });
  });

  it('server min protocol = NT1 and signing auto: SMB1 accepted, signing not required', async () => {
    expect(await collect('old.conf', '[global]\n  server min protocol = NT1\n  server signing = auto\n')).toMatchObject({
      signingRequired: false,
      smb1Enabled: true,
      settings: { 'server signing': 'if_required', 'server min protocol': 'NT1' },
    });
  });

  it('an AD domain controller requires signing by default', async () => {
    expect(await collect('dc.conf', '[global]\n  server role = active directory domain controller\n  realm = KOMMUN.TEST\n  workgroup = KOMMUN\n')).toMatchObject({
      signingRequired: true,
      smb1Enabled: false,
      settings: { 'server signing': 'default', 'server role': 'active directory domain controller' },
    });
  });

  it('a configuration testparm refuses is an error with its message, not a value', async () => {
    await expect(collect('broken.conf', '[global]\n  server signing = banana\n')).rejects.toThrow(/testparm -s -v .* exited with code 1/);
  });
});

describe('collectSmbServer without Samba', () => {
  it('is unsupported when smbd is not installed, even if testparm is (samba-common-bin alone)', async () => {
    const c = linuxContext({ testparm: ok('[global]\n\tserver signing = required\n\tserver min protocol = SMB3\n') });
    await expect(collectSmbServer(c)).rejects.toBeInstanceOf(UnsupportedFact);
  });

  it('is an error when smbd is there but testparm is not, or fails', async () => {
    await expect(collectSmbServer(linuxContext({ smbd: ok('Version 4.17.12-Debian\n') }))).rejects.toThrow(/testparm not installed/);
    await expect(collectSmbServer(linuxContext({ smbd: ok('Version 4.17.12-Debian\n'), testparm: failed(1, 'Error loading services.') }))).rejects.toThrow(/Error loading services/);
  });

  it('refuses output without the settings instead of guessing', () => {
    expect(() => parseTestparm('# Global parameters\n[global]\n\tworkgroup = KOMMUN\n')).toThrow(/server signing/);
    expect(() => parseTestparm('[global]\n\tserver signing = required\n\tserver min protocol = SMB9\n')).toThrow(/server min protocol/);
    // A share's own parameters are not the server's.
    expect(() => parseTestparm('[dela]\n\tserver signing = required\n\tserver min protocol = SMB3\n')).toThrow(/server signing/);
  });
});
