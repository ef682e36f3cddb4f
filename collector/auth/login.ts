import { Client } from 'ldapts';
import { readFile } from 'node:fs/promises';
import type { Store, } from '../store/index.js';
import type { StoredUser } from '../store/users.js';
import { DUMMY_HASH, verifyPassword } from './passwords.js';

/** How a tenant's users log in by binding to the tenant's own directory. */
export interface LdapLoginConfig {
  tenant: string;
  url: string;
  caFile?: string | undefined;
  /** Plain ldap:// without StartTLS sends the password in clear text; refused unless set. */
  allowPlainBind?: boolean | undefined;
  timeoutSeconds?: number | undefined;
}

export const THROTTLE = { windowMinutes: 15, maxFailuresPerUser: 5, maxFailuresPerAddress: 20 };

export type LoginOutcome =
  | { ok: true; user: StoredUser }
  | { ok: false; reason: 'invalid' }
  | { ok: false; reason: 'throttled'; retryAfterSeconds: number };

export interface LoginInput {
  username: string;
  password: string;
  remote: string;
}

/**
 * Checks a login. Unknown users, wrong passwords and disabled accounts look the same to
 * the caller and take the same time. Too many failures for a username or from an address
 * in the window lock further attempts until the window has passed.
 */
export async function checkLogin(store: Store, input: LoginInput, ldap: readonly LdapLoginConfig[], now = new Date()): Promise<LoginOutcome> {
  const since = new Date(now.getTime() - THROTTLE.windowMinutes * 60_000);
  const [byUser, byAddress] = await Promise.all([store.users.failedLoginsSince(input.username, since), store.users.failedLoginsFromSince(input.remote, since)]);
  if (byUser >= THROTTLE.maxFailuresPerUser || byAddress >= THROTTLE.maxFailuresPerAddress) {
    return { ok: false, reason: 'throttled', retryAfterSeconds: THROTTLE.windowMinutes * 60 };
  }
  const user = await store.users.byUsername(input.username);
  const ok = user && !user.disabled_at ? await passwordMatches(store, user, input.password, ldap) : (await verifyPassword(input.password, DUMMY_HASH), false);
  await store.users.recordLoginAttempt(input.username, input.remote, ok, now);
  return ok && user ? { ok: true, user } : { ok: false, reason: 'invalid' };
}

async function passwordMatches(store: Store, user: StoredUser, password: string, ldap: readonly LdapLoginConfig[]): Promise<boolean> {
  if (user.password_hash) return verifyPassword(password, user.password_hash);
  if (!user.ldap_dn || password === '') return false;
  const tenants = (await store.users.grants(user.id)).filter((g) => g.scopeKind === 'tenant').map((g) => g.scopeId);
  const directory = ldap.find((l) => tenants.includes(l.tenant));
  return directory ? ldapBind(directory, user.ldap_dn, password) : false;
}

/** True when the directory accepts the user's DN and password. An empty password is never sent (it would be an anonymous bind). */
export async function ldapBind(config: LdapLoginConfig, dn: string, password: string): Promise<boolean> {
  const url = new URL(config.url);
  const secure = url.protocol === 'ldaps:';
  const ca = config.caFile ? [await readFile(config.caFile)] : undefined;
  const tlsOptions = ca ? { ca, servername: url.hostname } : { servername: url.hostname };
  const timeout = (config.timeoutSeconds ?? 10) * 1000;
  const client = new Client({ url: config.url, timeout, connectTimeout: timeout, ...(secure ? { tlsOptions } : {}) });
  try {
    if (!secure) {
      try {
        await client.startTLS(tlsOptions);
      } catch (error) {
        if (!config.allowPlainBind) throw error;
      }
    }
    await client.bind(dn, password);
    return true;
  } catch {
    return false;
  } finally {
    await client.unbind().catch(() => undefined);
  }
}
