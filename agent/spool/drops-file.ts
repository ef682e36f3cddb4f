import { open, readFile } from 'node:fs/promises';
import type { Logger } from 'pino';
import { emptyLedger, parseLedger, type DropLedgerState } from './drops.js';

/**
 * The drop ledger on disk, so that a restart does not forget refused reports. The file is
 * created at its full size when the spool opens and afterwards only overwritten in place:
 * rewriting blocks a file already owns needs no free space, so the ledger can be kept
 * exactly when the disk is full (on filesystems that overwrite in place: ext4, xfs,
 * tmpfs, NTFS). Where that fails the ledger lives in memory until a write succeeds.
 */
export const LEDGER_BYTES = 4096;

export class DropLedgerFile {
  private created = false;

  private constructor(
    private readonly path: string,
    private readonly logger: Logger,
  ) {}

  /** Reads the ledger (a fresh one when there is none or it is damaged) and makes sure the file exists. */
  static async open(path: string, logger: Logger): Promise<{ file: DropLedgerFile; state: DropLedgerState }> {
    const file = new DropLedgerFile(path, logger);
    let state = emptyLedger();
    try {
      const parsed = parseLedger((await readFile(path, 'utf8')).trimEnd());
      file.created = true;
      if (parsed) state = parsed;
      else logger.warn({ file: path }, 'Spool: filen med kastade rapporter är skadad och börjar om från noll (drop ledger damaged, starting afresh)');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    if (!file.created) await file.write(state);
    return { file, state };
  }

  /** Writes the state; false (logged) when it could not, and the caller keeps it in memory. */
  async write(state: DropLedgerState): Promise<boolean> {
    let fitted = state;
    let data = Buffer.from(JSON.stringify(fitted), 'utf8');
    while (data.length > LEDGER_BYTES && fitted.runs.length > 1) {
      fitted = { ...fitted, runs: [fitted.runs[0]!, ...fitted.runs.slice(2)] };
      data = Buffer.from(JSON.stringify(fitted), 'utf8');
    }
    if (data.length > LEDGER_BYTES) data = Buffer.from(JSON.stringify({ ...fitted, lastError: fitted.lastError?.slice(0, 1000) ?? null }), 'utf8');
    // Always the full size, padded with spaces: the file never grows after it is created.
    data = Buffer.concat([data, Buffer.alloc(LEDGER_BYTES - data.length, 0x20)]);
    let handle;
    try {
      handle = await open(this.path, this.created ? 'r+' : 'w', 0o600);
      await handle.write(data, 0, data.length, 0);
      await handle.sync();
      this.created = true;
      return true;
    } catch (error) {
      this.logger.warn(
        { file: this.path, code: (error as NodeJS.ErrnoException).code },
        'Spool: kunde inte spara vilka rapporter som kastats; det hålls i minnet tills det går (could not write the drop ledger)',
      );
      return false;
    } finally {
      await handle?.close().catch(() => undefined);
    }
  }
}
