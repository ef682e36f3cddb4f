import type { Observation } from '../../fact.js';
import { FactError } from '../../fact.js';
import type { LinuxContext } from './context.js';
import { readIfReadable, readOptional } from './run.js';

export interface AdminAccount {
  name: string;
  origin: 'local' | 'domain';
  via: string;
  enabled: boolean | null;
}

export interface LocalAdminsValue {
  accounts: AdminAccount[];
}

/** Groups whose members may become root through sudo (Debian: sudo; Red Hat: wheel; old Ubuntu: admin). */
export const ADMIN_GROUPS = ['sudo', 'wheel', 'admin'] as const;

export interface PasswdEntry {
  name: string;
  uid: number;
  gid: number;
}

export function parsePasswd(text: string): PasswdEntry[] {
  const entries: PasswdEntry[] = [];
  for (const line of text.split('\n')) {
    const fields = line.split(':');
    if (fields.length < 7 || !fields[0] || line.startsWith('+') || line.startsWith('-')) continue;
    entries.push({ name: fields[0], uid: Number(fields[2]), gid: Number(fields[3]) });
  }
  return entries;
}

/** Members of each group, from /etc/group (`name:x:gid:member,member`). */
export function parseGroup(text: string): Map<string, { gid: number; members: string[] }> {
  const groups = new Map<string, { gid: number; members: string[] }>();
  for (const line of text.split('\n')) {
    const fields = line.split(':');
    if (fields.length < 4 || !fields[0]) continue;
    groups.set(fields[0], { gid: Number(fields[2]), members: (fields[3] ?? '').split(',').map((m) => m.trim()).filter(Boolean) });
  }
  return groups;
}

/**
 * Whether each account can log in with a password, from /etc/shadow: a hash starting with
 * `!` or `*` is locked or unset; an expiry date (days since 1970) in the past disables it.
 */
export function parseShadow(text: string, now: Date): Map<string, boolean> {
  const today = Math.floor(now.getTime() / 86_400_000);
  const enabled = new Map<string, boolean>();
  for (const line of text.split('\n')) {
    const fields = line.split(':');
    if (fields.length < 2 || !fields[0]) continue;
    const hash = fields[1] ?? '';
    const expire = fields[7] ?? '';
    const expired = /^\d+$/.test(expire) && Number(expire) <= today;
    enabled.set(fields[0], !(hash.startsWith('!') || hash.startsWith('*') || expired));
  }
  return enabled;
}

export function findLocalAdmins(passwd: string, group: string, shadow: Map<string, boolean> | null): AdminAccount[] {
  const users = parsePasswd(passwd);
  const local = new Map(users.map((u) => [u.name, u]));
  const groups = parseGroup(group);
  const accounts: AdminAccount[] = [];
  for (const user of users) {
    if (user.uid === 0) accounts.push({ name: user.name, origin: 'local', via: 'uid0', enabled: shadow?.get(user.name) ?? null });
  }
  for (const groupName of ADMIN_GROUPS) {
    const entry = groups.get(groupName);
    if (!entry) continue;
    // Users whose primary group is the admin group are members too.
    const primary = users.filter((u) => u.gid === entry.gid);
    for (const member of new Set([...entry.members, ...primary.map((u) => u.name)])) {
      const isLocal = local.has(member);
      accounts.push({
        name: member.slice(0, 256),
        origin: isLocal ? 'local' : 'domain',
        via: groupName,
        enabled: isLocal ? (shadow?.get(member) ?? null) : null,
      });
    }
  }
  return accounts.slice(0, 1000);
}

export async function collectLocalAdmins(c: LinuxContext): Promise<Observation<LocalAdminsValue>> {
  const [passwd, group, shadowText] = await Promise.all([
    readOptional(c, '/etc/passwd'),
    readOptional(c, '/etc/group'),
    readIfReadable(c, '/etc/shadow'),
  ]);
  if (passwd === null || group === null) throw new FactError('/etc/passwd or /etc/group is missing', '/etc/passwd, /etc/group');
  const shadow = shadowText === null ? null : parseShadow(shadowText, c.ctx.now());
  return {
    value: { accounts: findLocalAdmins(passwd, group, shadow) },
    source: `/etc/passwd, /etc/group, ${shadow ? '/etc/shadow' : '/etc/shadow not readable'}`,
  };
}
