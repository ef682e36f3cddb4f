import type { DirectoryContext } from './context.js';

export type GroupPurpose = 'sso' | 'mfa' | 'networkLogin' | 'system';

export interface ConfiguredGroup {
  purpose: GroupPurpose;
  /** The business system's name for purpose system; otherwise the purpose. */
  name: string;
  dn: string;
}

export interface ResolvedGroup extends ConfiguredGroup {
  /** Account names of the user members, nested groups resolved; null when the group was not found. */
  members: string[] | null;
}

/** The configured identity groups, in a stable order. */
export function configuredGroups(ctx: DirectoryContext): ConfiguredGroup[] {
  const g = ctx.entry.groups;
  const list: ConfiguredGroup[] = [];
  if (g.sso) list.push({ purpose: 'sso', name: 'sso', dn: g.sso });
  for (const dn of typeof g.mfa === 'string' ? [g.mfa] : (g.mfa ?? [])) list.push({ purpose: 'mfa', name: 'mfa', dn });
  if (g.networkLogin) list.push({ purpose: 'networkLogin', name: 'networkLogin', dn: g.networkLogin });
  for (const [name, dns] of Object.entries(g.systems ?? {}).sort(([a], [b]) => a.localeCompare(b))) {
    for (const dn of typeof dns === 'string' ? [dns] : dns) list.push({ purpose: 'system', name, dn });
  }
  return list;
}

/** Resolves every configured group once; both the `groups` and the `groupMembers` fact read the result. */
export async function resolveGroups(ctx: DirectoryContext, members: (dn: string) => Promise<string[] | null>): Promise<ResolvedGroup[]> {
  const resolved: ResolvedGroup[] = [];
  for (const group of configuredGroups(ctx)) resolved.push({ ...group, members: await members(group.dn) });
  return resolved;
}

/** The `groups` fact: which groups exist and how many users each has. */
export function groupsValue(resolved: readonly ResolvedGroup[], memberAttribute: string) {
  return {
    groups: resolved.map(({ purpose, name, dn, members }) => ({ purpose, name, dn, found: members !== null, memberCount: members?.length ?? null })),
    attributes: { memberCount: memberAttribute },
  };
}

/**
 * The `groupMembers` fact: who is in each group, so that the collector can count people
 * (distinct users across systems) rather than add up group sizes. Each account name is
 * listed once; groups refer to it by position.
 */
export function groupMembersValue(resolved: readonly ResolvedGroup[], memberAttribute: string) {
  const accounts = [...new Set(resolved.flatMap((g) => g.members ?? []))].sort();
  const position = new Map(accounts.map((name, i) => [name, i]));
  return {
    accounts,
    groups: resolved.map(({ purpose, name, dn, members }) => ({
      purpose,
      name,
      dn,
      found: members !== null,
      members: members === null ? [] : [...new Set(members)].map((m) => position.get(m)!).sort((a, b) => a - b),
    })),
    attributes: { members: memberAttribute },
  };
}
