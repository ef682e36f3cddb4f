import type { Kysely } from 'kysely';
import type { Grant, Role } from '../auth/roles.js';
import type { Database } from './schema.js';

export type StoredUser = Database['users'];

/** Users, their role grants, sessions and login attempts. */
export class UserStore {
  constructor(private readonly db: Kysely<Database>) {}

  async create(user: StoredUser): Promise<void> {
    await this.db.insertInto('users').values(user).execute();
  }

  async byUsername(username: string): Promise<StoredUser | undefined> {
    return this.db.selectFrom('users').selectAll().where('username', '=', username).executeTakeFirst();
  }

  async byId(id: string): Promise<StoredUser | undefined> {
    return this.db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
  }

  async list(): Promise<StoredUser[]> {
    return this.db.selectFrom('users').selectAll().orderBy('username').execute();
  }

  async grant(userId: string, grant: Grant): Promise<void> {
    await this.db
      .insertInto('role_grants')
      .values({ user_id: userId, role: grant.role, scope_kind: grant.scopeKind, scope_id: grant.scopeId })
      .onConflict((oc) => oc.doNothing())
      .execute();
  }

  async grants(userId: string): Promise<Grant[]> {
    const rows = await this.db.selectFrom('role_grants').selectAll().where('user_id', '=', userId).execute();
    return rows.map((r) => ({ role: r.role as Role, scopeKind: r.scope_kind as Grant['scopeKind'], scopeId: r.scope_id }));
  }

  async createSession(row: Database['sessions']): Promise<void> {
    await this.db.insertInto('sessions').values(row).execute();
  }

  async session(idHash: string, now: Date): Promise<Database['sessions'] | undefined> {
    return this.db.selectFrom('sessions').selectAll().where('id_hash', '=', idHash).where('expires_at', '>', now.toISOString()).executeTakeFirst();
  }

  async deleteSession(idHash: string): Promise<void> {
    await this.db.deleteFrom('sessions').where('id_hash', '=', idHash).execute();
  }

  async recordLoginAttempt(username: string, remote: string, ok: boolean, at: Date): Promise<void> {
    await this.db.insertInto('login_attempts').values({ username, remote, ok: ok ? 1 : 0, at: at.toISOString() }).execute();
  }

  /** Failed attempts for a username since a moment, from any address. */
  async failedLoginsSince(username: string, since: Date): Promise<number> {
    const row = await this.db
      .selectFrom('login_attempts')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('username', '=', username)
      .where('ok', '=', 0)
      .where('at', '>', since.toISOString())
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  /** Failed attempts from one address since a moment, for any username (password spraying). */
  async failedLoginsFromSince(remote: string, since: Date): Promise<number> {
    const row = await this.db
      .selectFrom('login_attempts')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('remote', '=', remote)
      .where('ok', '=', 0)
      .where('at', '>', since.toISOString())
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  async lastSuccessfulLogin(username: string): Promise<string | undefined> {
    const row = await this.db.selectFrom('login_attempts').select('at').where('username', '=', username).where('ok', '=', 1).orderBy('id', 'desc').executeTakeFirst();
    return row?.at;
  }
}
