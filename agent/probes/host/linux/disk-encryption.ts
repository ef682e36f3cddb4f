import type { Observation } from '../../fact.js';
import { FactError, UnsupportedFact } from '../../fact.js';
import type { LinuxContext } from './context.js';
import { failure, tryRun } from './run.js';

export interface Volume {
  device: string;
  mountpoint: string | null;
  encrypted: boolean;
  method: 'luks' | 'bitlocker' | 'other' | null;
  protectionOn: boolean | null;
}

export interface DiskEncryptionValue {
  volumes: Volume[];
}

interface LsblkDevice {
  name?: string;
  type?: string;
  fstype?: string | null;
  mountpoint?: string | null;
  mountpoints?: Array<string | null>;
  children?: LsblkDevice[];
}

/** Read-only images (snaps, ISO files) hold no user data worth encrypting. */
const IMAGE_FILESYSTEMS = new Set(['squashfs', 'iso9660', 'erofs']);

type Layer = 'luks' | 'crypt';

function mountpointsOf(device: LsblkDevice): string[] {
  const list = device.mountpoints ?? (device.mountpoint !== undefined ? [device.mountpoint] : []);
  return list.filter((m): m is string => typeof m === 'string' && m !== '');
}

/**
 * Parses `lsblk -J -o NAME,TYPE,MOUNTPOINTS,FSTYPE` (or MOUNTPOINT on util-linux < 2.37):
 * every mounted filesystem, encrypted when it or an ancestor is a dm-crypt device or a
 * LUKS container.
 */
export function parseLsblk(text: string): Volume[] {
  const parsed = JSON.parse(text) as { blockdevices?: LsblkDevice[] };
  if (!parsed || !Array.isArray(parsed.blockdevices)) throw new Error('lsblk -J did not print "blockdevices"');
  const volumes = new Map<string, Volume>();
  const walk = (device: LsblkDevice, layers: readonly Layer[], depth: number): void => {
    if (depth > 16) return;
    const own: Layer[] = [...layers];
    if (device.fstype === 'crypto_LUKS') own.push('luks');
    if (device.type === 'crypt') own.push('crypt');
    if (!IMAGE_FILESYSTEMS.has(device.fstype ?? '')) {
      for (const mountpoint of mountpointsOf(device)) {
        const name = device.name ?? '?';
        const encrypted = own.length > 0;
        volumes.set(`${name}\u0000${mountpoint}`, {
          device: name.slice(0, 256),
          mountpoint: mountpoint.slice(0, 256),
          encrypted,
          method: own.includes('luks') ? 'luks' : encrypted ? 'other' : null,
          protectionOn: null,
        });
      }
    }
    for (const child of device.children ?? []) walk(child, own, depth + 1);
  };
  for (const device of parsed.blockdevices) walk(device, [], 0);
  return [...volumes.values()];
}

const COLUMNS = ['NAME,TYPE,MOUNTPOINTS,FSTYPE', 'NAME,TYPE,MOUNTPOINT,FSTYPE'];

export async function collectDiskEncryption(c: LinuxContext): Promise<Observation<DiskEncryptionValue>> {
  let lastFailure = '';
  for (const columns of COLUMNS) {
    const args = ['-J', '-o', columns];
    const source = `lsblk ${args.join(' ')}`;
    const result = await tryRun(c, 'lsblk', args);
    if (result === null) throw new FactError('lsblk (util-linux) is not installed', 'lsblk');
    if (result.code !== 0) {
      // util-linux before 2.37 has no MOUNTPOINTS column: retry with MOUNTPOINT.
      lastFailure = failure('lsblk', args, result);
      continue;
    }
    let volumes: Volume[];
    try {
      volumes = parseLsblk(result.stdout);
    } catch (error) {
      throw new FactError(`${source}: unreadable output (${(error as Error).message})`, source);
    }
    if (!volumes.some((v) => v.mountpoint === '/')) {
      throw new UnsupportedFact(
        'the root filesystem is not on a block device this host can see (container or overlay filesystem); disk encryption belongs to the host that runs it',
        source,
      );
    }
    return { value: { volumes: volumes.slice(0, 256) }, source };
  }
  throw new FactError(lastFailure, 'lsblk -J');
}
