import type { Fact } from '../../report/schema.js';
import type { EvaluationTarget } from '../engine/types.js';

/**
 * What the tenant facts read from other targets' facts, picked out defensively: the
 * values were validated on ingest, but only these fields matter here.
 */

export interface RegisteredSystem {
  id: string;
  name: string;
  category: string;
  sso: string;
  mfaRequired: boolean;
  confidentiality: number | null;
  sensitive: boolean;
  userGroups: string[];
  hosts: string[];
  /** The login page as the web probe saw it; undefined when not probed. */
  login: { protocol: string; matchesDeclared: boolean | null } | undefined;
  /** Marked in the register as offering encrypted transfer (secure mail, SFTP). */
  secureTransfer: boolean;
  /** TLS on the declared endpoints as the web probe saw them: false when one had none, true when all examined had it, null when none was examined. */
  endpointsTls: boolean | null;
}

export interface GroupMembership {
  found: boolean;
  /** Keys of the member users, unique across directories. */
  users: string[];
}

export interface Directories {
  /** By lower-cased DN. */
  groups: Map<string, GroupMembership>;
  /** Users in any MFA-enrolled group; undefined when no directory names an MFA group. */
  mfaUsers: Set<string> | undefined;
  /** Directories whose membership could not be read, with the reason. */
  failed: string[];
  /** Display name of a user key. */
  displayName(key: string): string;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown, fallback = ''): string => (typeof v === 'string' ? v : fallback);
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

export function okValue(target: EvaluationTarget, name: string): unknown {
  const fact = target.facts.find((f) => f.name === name);
  return fact?.status === 'ok' ? fact.value : undefined;
}

export function failedFact(target: EvaluationTarget, name: string): Extract<Fact, { status: 'error' | 'unsupported' }> | undefined {
  const fact = target.facts.find((f) => f.name === name);
  return fact && fact.status !== 'ok' ? fact : undefined;
}

function endpointsTls(target: EvaluationTarget): boolean | null {
  const value = okValue(target, 'endpoints');
  const modes = (isRecord(value) && Array.isArray(value.endpoints) ? value.endpoints : []).map((e) => (isRecord(e) ? e.tlsMode : null)).filter((m) => typeof m === 'string');
  if (modes.includes('none')) return false;
  return modes.length > 0 ? true : null;
}

export function registeredSystem(target: EvaluationTarget): RegisteredSystem | undefined {
  const entry = okValue(target, 'register');
  if (!isRecord(entry)) return undefined;
  const auth = isRecord(entry.authentication) ? entry.authentication : {};
  const classification = isRecord(entry.classification) ? entry.classification : {};
  const confidentiality = typeof classification.confidentiality === 'number' ? classification.confidentiality : null;
  const login = okValue(target, 'login');
  return {
    id: target.id,
    name: str(entry.name, target.name),
    category: str(entry.category, 'business'),
    sso: str(auth.sso, 'none'),
    mfaRequired: auth.mfaRequired === true,
    confidentiality,
    sensitive: entry.sensitive === true,
    userGroups: strings(entry.userGroups),
    hosts: strings(entry.hosts),
    login: isRecord(login)
      ? { protocol: str(login.protocol, 'unknown'), matchesDeclared: typeof login.matchesDeclared === 'boolean' ? login.matchesDeclared : null }
      : undefined,
    secureTransfer: entry.secureTransfer === true,
    endpointsTls: endpointsTls(target),
  };
}

export function directories(targets: readonly EvaluationTarget[]): Directories {
  const groups = new Map<string, GroupMembership>();
  const failed: string[] = [];
  let mfaUsers: Set<string> | undefined;
  const several = targets.filter((t) => t.kind === 'directory').length > 1;
  for (const target of targets) {
    if (target.kind !== 'directory') continue;
    const value = okValue(target, 'groupMembers');
    if (!isRecord(value)) {
      const reason = failedFact(target, 'groupMembers')?.reason ?? 'saknas i rapporten (missing from the report)';
      failed.push(`${target.name}: gruppmedlemmar (group members): ${reason}`);
      continue;
    }
    const accounts = strings(value.accounts);
    // Two directories may both have an "anna"; they are different people.
    const key = (i: number) => (several ? `${target.id}\u0000${accounts[i]}` : accounts[i]!);
    for (const group of Array.isArray(value.groups) ? value.groups : []) {
      if (!isRecord(group)) continue;
      const members = Array.isArray(group.members) ? group.members.filter((m): m is number => typeof m === 'number' && m < accounts.length) : [];
      const membership: GroupMembership = { found: group.found === true, users: members.map(key) };
      const dn = str(group.dn).toLowerCase();
      const known = groups.get(dn);
      groups.set(dn, known && known.found ? { found: true, users: [...known.users, ...membership.users] } : membership);
      if (group.purpose === 'mfa' && membership.found) {
        mfaUsers ??= new Set();
        for (const u of membership.users) mfaUsers.add(u);
      } else if (group.purpose === 'mfa') mfaUsers ??= new Set();
    }
  }
  return { groups, mfaUsers, failed, displayName: (k) => k.slice(k.indexOf('\u0000') + 1) };
}
