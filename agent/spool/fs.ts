import { open } from 'node:fs/promises';

/** The few file operations where the spool must be sure data reached the disk. */
export interface SpoolIo {
  /** Creates `path` (it must not exist), writes `data` and fsyncs the file before resolving. */
  writeFileDurably(path: string, data: string): Promise<void>;
  /** Makes the directory's entries (a rename, an unlink) durable. */
  syncDirectory(path: string): Promise<void>;
}

export async function writeFileDurably(path: string, data: string, mode = 0o600): Promise<void> {
  const handle = await open(path, 'wx', mode);
  try {
    await handle.writeFile(data, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
}

export async function syncDirectory(path: string): Promise<void> {
  let handle;
  try {
    handle = await open(path, 'r');
    await handle.sync();
  } catch (error) {
    // Windows cannot open or fsync a directory; NTFS makes a rename durable on its own.
    if (process.platform === 'win32') return;
    throw error;
  } finally {
    await handle?.close();
  }
}

export const nodeSpoolIo: SpoolIo = { writeFileDurably: (path, data) => writeFileDurably(path, data), syncDirectory };
