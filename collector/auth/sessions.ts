import { hashSecret, newSecret } from '../services/secrets.js';
import type { Store } from '../store/index.js';

export const SESSION_COOKIE = 'basvakt_session';
export const SESSION_HOURS = 8;

export interface NewSession {
  /** The cookie value; only its hash is stored. */
  cookie: string;
  csrfToken: string;
  expiresAt: Date;
}

/** A fresh session for every login, so a session id planted before login is worthless. */
export async function createSession(store: Store, userId: string, now: Date): Promise<NewSession> {
  const cookie = newSecret();
  const csrfToken = newSecret();
  const expiresAt = new Date(now.getTime() + SESSION_HOURS * 3_600_000);
  await store.users.createSession({ id_hash: hashSecret(cookie), user_id: userId, csrf_token: csrfToken, created_at: now.toISOString(), expires_at: expiresAt.toISOString() });
  return { cookie, csrfToken, expiresAt };
}

export async function endSession(store: Store, cookie: string): Promise<void> {
  await store.users.deleteSession(hashSecret(cookie));
}
