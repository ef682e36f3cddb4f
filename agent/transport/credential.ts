import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { Logger } from 'pino';
import { agentCredentialSchema, type AgentCredential } from '../../report/api.js';
import { swedishErrorMap } from '../config/messages.js';
import { syncDirectory, writeFileDurably } from '../spool/fs.js';
import { scrub } from './client.js';

export class CredentialError extends Error {
  constructor(
    readonly file: string,
    message: string,
    readonly code: 'missing' | 'unreadable' | 'invalid',
  ) {
    super(message);
    this.name = 'CredentialError';
  }
}

/** Reads and validates the agent credential written at enrollment. */
export async function readCredential(file: string, logger?: Logger): Promise<AgentCredential> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      throw new CredentialError(file, `Agenten är inte registrerad: ${file} finns inte. Kör "basvakt enroll" med en registreringstoken från insamlaren (agent not enrolled)`, 'missing');
    }
    throw new CredentialError(file, `Inloggningsfilen ${file} kan inte läsas: ${code ?? String(error)} (cannot read credential file)`, 'unreadable');
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    // The parser's message quotes the text, which may hold the secret.
    throw new CredentialError(file, `Inloggningsfilen ${file} är inte giltig JSON — registrera agenten på nytt (credential file is not valid JSON)`, 'invalid');
  }
  const parsed = agentCredentialSchema.safeParse(value, { error: swedishErrorMap });
  if (!parsed.success) {
    const secret = typeof (value as { secret?: unknown })?.secret === 'string' ? [(value as { secret: string }).secret] : [];
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(hela filen)'}: ${scrub(i.message, secret)}`).join('; ');
    throw new CredentialError(file, `Inloggningsfilen ${file} är ogiltig — ${problems}. Registrera agenten på nytt (invalid credential file)`, 'invalid');
  }
  if (process.platform !== 'win32' && logger) {
    const mode = (await stat(file)).mode & 0o777;
    if ((mode & 0o077) !== 0) {
      logger.warn({ file, mode: mode.toString(8) }, 'Inloggningsfilen kan läsas av andra än ägaren; kör chmod 600 (credential file is readable by others)');
    }
  }
  return parsed.data;
}

/** Writes the credential atomically with mode 0600: a crash leaves the old file or the new one, never half of one. */
export async function writeCredential(file: string, credential: AgentCredential): Promise<void> {
  const valid = agentCredentialSchema.parse(credential);
  const directory = dirname(file);
  await mkdir(directory, { recursive: true, mode: 0o700 });
  const tmp = join(directory, `.${basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    await writeFileDurably(tmp, `${JSON.stringify(valid, null, 2)}\n`, 0o600);
    await rename(tmp, file);
  } catch (error) {
    await rm(tmp, { force: true }).catch(() => undefined);
    throw error;
  }
  await syncDirectory(directory);
}
