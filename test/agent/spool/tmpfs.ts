import { execFile } from 'node:child_process';
import { open, rm, rmdir } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { requirePrograms } from '../../support/require.js';
import { tempDir } from './reports.js';

const run = promisify(execFile);

/** True when this suite can mount a tmpfs (root, mount and umount present); see requirePrograms. */
export function canMountTmpfs(suite: string): boolean {
  if (!requirePrograms(suite, ['mount', 'umount'])) return false;
  if (process.getuid?.() === 0) return true;
  const message = `${suite} needs root to mount a tmpfs`;
  if (process.env.CI === 'true') throw new Error(message);
  console.warn(`skipped: ${message}`);
  return false;
}

/** A small real filesystem that the test can fill to the last byte and empty again. */
export interface SmallDisk {
  dir: string;
  /** Writes a filler file until the filesystem answers ENOSPC. */
  fill(): Promise<void>;
  /** Removes the filler: space returns. */
  free(): Promise<void>;
  unmount(): Promise<void>;
}

export async function mountTmpfs(size = '1m'): Promise<SmallDisk> {
  const dir = await tempDir('tmpfs');
  await run('mount', ['-t', 'tmpfs', '-o', `size=${size},mode=0700`, 'tmpfs', dir]);
  const filler = join(dir, 'filler');
  return {
    dir,
    async fill() {
      const handle = await open(filler, 'a');
      try {
        for (const chunk of [65536, 4096, 1]) {
          const data = Buffer.alloc(chunk, 0x78);
          for (;;) {
            try {
              await handle.write(data);
            } catch (error) {
              if ((error as NodeJS.ErrnoException).code === 'ENOSPC') break;
              throw error;
            }
          }
        }
      } finally {
        await handle.close();
      }
    },
    async free() {
      await rm(filler, { force: true });
    },
    async unmount() {
      await run('umount', [dir]);
      await rmdir(dir);
    },
  };
}
