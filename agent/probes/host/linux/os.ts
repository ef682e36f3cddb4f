import type { Observation } from '../../fact.js';
import { FactError } from '../../fact.js';
import type { LinuxContext } from './context.js';
import { readOptional, tryRun } from './run.js';

export interface OsValue {
  platform: 'linux';
  id: string;
  name: string;
  version: string;
  build: string | null;
  edition: string | null;
  kernel: string | null;
  arch: string | null;
  isServer: boolean | null;
}

/** Parses os-release(5): KEY=value lines, values optionally quoted with shell escapes. */
export function parseOsRelease(text: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    const match = /^([A-Z0-9_]+)=(.*)$/.exec(line);
    if (!match?.[1] || match[2] === undefined) continue;
    let value = match[2];
    const quote = value[0];
    if ((quote === '"' || quote === "'") && value.endsWith(quote) && value.length >= 2) {
      value = value.slice(1, -1);
      if (quote === '"') value = value.replace(/\\(["\\`$])/g, '$1');
    }
    fields[match[1]] = value;
  }
  return fields;
}

/** Only os-release says so explicitly for a few distributions (Fedora Server, RHEL Server variants). */
function serverVariant(fields: Record<string, string>): boolean | null {
  const variant = `${fields.VARIANT_ID ?? ''} ${fields.VARIANT ?? ''}`.toLowerCase();
  if (variant.includes('server')) return true;
  if (/workstation|desktop/.test(variant)) return false;
  return null;
}

export function osValueFromRelease(fields: Record<string, string>, kernel: string | null, arch: string | null): OsValue {
  const id = fields.ID;
  if (!id) throw new Error('os-release has no ID field');
  return {
    platform: 'linux',
    id,
    name: fields.NAME ?? id,
    // Rolling releases (Arch, Debian testing) have no VERSION_ID; BUILD_ID is their version if any.
    version: fields.VERSION_ID ?? fields.BUILD_ID ?? '',
    build: fields.BUILD_ID ?? null,
    edition: fields.VARIANT ?? null,
    kernel,
    arch,
    isServer: serverVariant(fields),
  };
}

export async function collectOs(c: LinuxContext): Promise<Observation<OsValue>> {
  let release: string | null = null;
  let releasePath = '/etc/os-release';
  for (const path of ['/etc/os-release', '/usr/lib/os-release']) {
    release = await readOptional(c, path);
    releasePath = path;
    if (release !== null) break;
  }
  if (release === null) throw new FactError('neither /etc/os-release nor /usr/lib/os-release exists', '/etc/os-release');
  const [kernelText, archRun] = await Promise.all([
    readOptional(c, '/proc/sys/kernel/osrelease').catch(() => null),
    tryRun(c, 'uname', ['-m']).catch(() => null),
  ]);
  const kernel = kernelText?.trim() || null;
  const arch = archRun && archRun.code === 0 ? archRun.stdout.trim() || null : null;
  try {
    return { value: osValueFromRelease(parseOsRelease(release), kernel, arch), source: `${releasePath}, /proc/sys/kernel/osrelease, uname -m` };
  } catch (error) {
    throw new FactError(`${releasePath}: ${(error as Error).message}`, releasePath);
  }
}
