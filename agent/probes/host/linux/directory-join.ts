import type { Observation } from '../../fact.js';
import { FactError } from '../../fact.js';
import type { LinuxContext } from './context.js';
import { isRunning } from './processes.js';
import { readOptional, tryRun } from './run.js';

export interface DirectoryJoinValue {
  joined: boolean;
  method: 'sssd' | 'winbind' | 'realmd' | null;
  domain: string | null;
}

export interface RealmEntry {
  name: string;
  configured: string | null;
  clientSoftware: string | null;
}

/** Parses `realm list`: a realm name line, then indented `key: value` lines. */
export function parseRealmList(text: string): RealmEntry[] {
  const realms: RealmEntry[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    if (!/^\s/.test(line)) {
      realms.push({ name: line.trim(), configured: null, clientSoftware: null });
      continue;
    }
    const current = realms[realms.length - 1];
    const match = /^\s+([\w-]+):\s*(.*)$/.exec(line);
    if (!current || !match) continue;
    if (match[1] === 'configured') current.configured = match[2]?.trim() ?? null;
    if (match[1] === 'client-software') current.clientSoftware = match[2]?.trim() ?? null;
  }
  return realms;
}

export interface SssdDomain {
  name: string;
  idProvider: string | null;
  adDomain: string | null;
}

/** Parses sssd.conf (INI): the domains listed in [sssd] with their [domain/NAME] sections. */
export function parseSssdConf(text: string): SssdDomain[] {
  const sections = new Map<string, Map<string, string>>();
  let current: Map<string, string> | null = null;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    const header = /^\[(.+)\]$/.exec(line);
    if (header?.[1]) {
      current = new Map();
      sections.set(header[1].trim(), current);
      continue;
    }
    const kv = /^([^=]+?)\s*=\s*(.*)$/.exec(line);
    if (kv?.[1] && current) current.set(kv[1].toLowerCase(), kv[2] ?? '');
  }
  const listed = (sections.get('sssd')?.get('domains') ?? '').split(',').map((d) => d.trim()).filter(Boolean);
  return listed.map((name) => {
    const section = sections.get(`domain/${name}`);
    return { name, idProvider: section?.get('id_provider') ?? null, adDomain: section?.get('ad_domain') ?? null };
  });
}

/** Parses `wbinfo --own-domain`; winbind without a running daemon prints `(null)`. */
export function parseWbinfoOwnDomain(text: string): string | null {
  const lines = text.split('\n').map((l) => l.trim()).filter(Boolean);
  const last = lines[lines.length - 1];
  if (!last || last === '(null)' || /could not|failed|error/i.test(last)) return null;
  return last;
}

/** Parses `net ads testjoin`: `Join is OK` when the machine account works. */
export function parseNetAdsTestjoin(text: string): boolean {
  return /^Join is OK/m.test(text);
}

const JOINING_PROVIDERS = new Set(['ad', 'ipa']);

async function viaRealm(c: LinuxContext): Promise<DirectoryJoinValue | null> {
  const result = await tryRun(c, 'realm', ['list']);
  if (result === null || result.code !== 0) return null; // realmd needs D-Bus; other checks follow
  const realm = parseRealmList(result.stdout).find((r) => r.configured && r.configured !== 'no');
  return realm ? { joined: true, method: 'realmd', domain: realm.name } : null;
}

async function viaSssd(c: LinuxContext, running: boolean): Promise<DirectoryJoinValue | null> {
  let text: string | null;
  try {
    text = await readOptional(c, '/etc/sssd/sssd.conf');
  } catch (error) {
    if (!running) return null;
    throw new FactError(`sssd is running but /etc/sssd/sssd.conf cannot be read: ${(error as Error).message}`, '/etc/sssd/sssd.conf');
  }
  if (text === null) return null;
  const domain = parseSssdConf(text).find((d) => d.idProvider && JOINING_PROVIDERS.has(d.idProvider));
  if (!domain || !running) return null;
  return { joined: true, method: 'sssd', domain: domain.adDomain ?? domain.name };
}

async function viaWinbind(c: LinuxContext): Promise<DirectoryJoinValue | null> {
  const own = await tryRun(c, 'wbinfo', ['--own-domain']);
  const domain = own && own.code === 0 ? parseWbinfoOwnDomain(own.stdout) : null;
  if (!domain) return null;
  // testjoin asks the domain controller; only done where winbindd is running.
  const test = await tryRun(c, 'net', ['ads', 'testjoin']);
  if (test === null) return { joined: false, method: 'winbind', domain };
  return { joined: parseNetAdsTestjoin(test.stdout + test.stderr), method: 'winbind', domain };
}

export async function collectDirectoryJoin(c: LinuxContext): Promise<Observation<DirectoryJoinValue>> {
  const processes = await c.processes();
  const sssdRunning = isRunning(processes, 'sssd');
  const winbindRunning = isRunning(processes, 'winbindd');
  const realm = await viaRealm(c);
  if (realm) return { value: realm, source: 'realm list' };
  const sssd = await viaSssd(c, sssdRunning);
  if (sssd) return { value: sssd, source: 'ps, /etc/sssd/sssd.conf' };
  if (winbindRunning) {
    const winbind = await viaWinbind(c);
    if (winbind) return { value: winbind, source: 'ps, wbinfo --own-domain, net ads testjoin' };
  }
  return {
    value: { joined: false, method: null, domain: null },
    source: `ps (sssd ${sssdRunning ? 'running' : 'not running'}, winbindd ${winbindRunning ? 'running' : 'not running'}), realm list, /etc/sssd/sssd.conf`,
  };
}
