import { stat } from 'node:fs/promises';
import type { Logger } from 'pino';
import type { AgentCredential } from '../../report/api.js';
import { readCredential } from '../transport/credential.js';

/**
 * The agent credential, re-read when the file changes, so that `basvakt enroll` takes
 * effect in a running daemon without a restart.
 */
export class CredentialSource {
  private cached?: { credential: AgentCredential; stamp: string };

  constructor(
    readonly file: string,
    private readonly logger?: Logger,
  ) {}

  async get(): Promise<AgentCredential> {
    let stamp: string | undefined;
    try {
      const info = await stat(this.file);
      stamp = `${info.mtimeMs}:${info.size}:${info.ino}`;
    } catch {
      stamp = undefined; // readCredential below gives the clear error
    }
    if (this.cached && stamp !== undefined && this.cached.stamp === stamp) return this.cached.credential;
    const credential = await readCredential(this.file, this.logger);
    if (stamp !== undefined) this.cached = { credential, stamp };
    return credential;
  }
}
