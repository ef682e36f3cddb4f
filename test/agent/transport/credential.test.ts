import { readdir, readFile, rm, stat, writeFile, chmod } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CredentialError, readCredential, writeCredential } from '../../../agent/transport/index.js';
import type { AgentCredential } from '../../../report/api.js';
import { tempDir } from '../spool/reports.js';
import { captureLogger } from './logs.js';

const SECRET = 'S3cr3t-Value-That-Must-Never-Leak-0123456789';
const credential: AgentCredential = {
  collectorUrl: 'https://insamlare.test',
  agentId: 'agent-1',
  secret: SECRET,
  tenant: 'dals-ed',
  enrolledAt: '2026-11-23T04:00:00.000Z',
};

describe('credential file', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await tempDir('cred');
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes atomically with mode 0600 into a created folder and reads it back', async () => {
    const file = join(dir, 'state', 'agent-credential.json');
    await writeCredential(file, credential);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(await readdir(join(dir, 'state'))).toEqual(['agent-credential.json']);
    expect(await readCredential(file)).toEqual(credential);

    await writeCredential(file, { ...credential, agentId: 'agent-2' });
    expect((await readCredential(file)).agentId).toBe('agent-2');
    expect(await readdir(join(dir, 'state'))).toEqual(['agent-credential.json']);
  });

  it('says the agent is not enrolled when the file is missing', async () => {
    const error = (await readCredential(join(dir, 'none.json')).catch((e: unknown) => e)) as CredentialError;
    expect(error).toBeInstanceOf(CredentialError);
    expect(error.code).toBe('missing');
    expect(error.message).toContain('Agenten är inte registrerad');
    expect(error.message).toContain('basvakt enroll');
  });

  it('refuses a damaged file without quoting the secret', async () => {
    const file = join(dir, 'cred.json');
    await writeFile(file, `{"agentId":"agent-1","secret":"${SECRET}"`);
    const error = (await readCredential(file).catch((e: unknown) => e)) as CredentialError;
    expect(error.code).toBe('invalid');
    expect(error.message).toContain('inte giltig JSON');
    expect(error.message).not.toContain(SECRET);
  });

  it('names the fields that are wrong', async () => {
    const file = join(dir, 'cred.json');
    await writeFile(file, JSON.stringify({ ...credential, secret: 'short', tenant: undefined }));
    const error = (await readCredential(file).catch((e: unknown) => e)) as CredentialError;
    expect(error.code).toBe('invalid');
    expect(error.message).toMatch(/secret: för kort — minst 16 tecken/);
    expect(error.message).toMatch(/tenant: saknas/);
  });

  it('warns when others can read the file, without logging the secret', async () => {
    const file = join(dir, 'cred.json');
    await writeCredential(file, credential);
    await chmod(file, 0o644);
    const logs = captureLogger();
    await readCredential(file, logs.logger);
    expect(logs.text()).toContain('chmod 600');
    expect(logs.text()).not.toContain(SECRET);
    expect(await readFile(file, 'utf8')).toContain(SECRET);
  });
});
