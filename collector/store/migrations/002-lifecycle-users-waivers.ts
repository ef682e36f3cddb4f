import type { Kysely } from 'kysely';
import { serialKey } from './columns.js';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('findings').addColumn('resolved_at', 'text').execute();
  await db.schema.alterTable('finding_events').addColumn('kind', 'text').execute();

  await db.schema
    .createTable('federations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('federation_members')
    .addColumn('federation_id', 'text', (c) => c.notNull().references('federations.id'))
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
    .addPrimaryKeyConstraint('federation_members_pk', ['federation_id', 'tenant_id'])
    .execute();

  await db.schema
    .createTable('users')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('username', 'text', (c) => c.notNull().unique())
    .addColumn('display_name', 'text', (c) => c.notNull())
    /** scrypt hash for local users; null for users who log in by LDAP bind. */
    .addColumn('password_hash', 'text')
    .addColumn('ldap_dn', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('disabled_at', 'text')
    .execute();
  await db.schema
    .createTable('role_grants')
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('role', 'text', (c) => c.notNull())
    /** 'tenant', 'federation' or 'global' (admin). */
    .addColumn('scope_kind', 'text', (c) => c.notNull())
    .addColumn('scope_id', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('role_grants_pk', ['user_id', 'role', 'scope_kind', 'scope_id'])
    .execute();
  await db.schema
    .createTable('sessions')
    .addColumn('id_hash', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('csrf_token', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('login_attempts')
    .addColumn('id', 'integer', serialKey(db))
    .addColumn('username', 'text', (c) => c.notNull())
    .addColumn('remote', 'text', (c) => c.notNull())
    .addColumn('ok', 'integer', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('login_attempts_user_at').on('login_attempts').columns(['username', 'at']).execute();

  await db.schema
    .createTable('waivers')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
    .addColumn('rule_id', 'text', (c) => c.notNull())
    /** Target kind and id the waiver covers; '*' for every target of the rule. */
    .addColumn('target_kind', 'text', (c) => c.notNull())
    .addColumn('target_id', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('risk_owner', 'text', (c) => c.notNull())
    .addColumn('approved_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('review_at', 'text')
    .addColumn('revoked_at', 'text')
    .execute();
  await db.schema.createIndex('waivers_tenant_rule').on('waivers').columns(['tenant_id', 'rule_id']).execute();

  await db.schema.alterTable('enrollment_tokens').addColumn('created_by', 'text').execute();
  await db.schema.alterTable('api_tokens').addColumn('name', 'text').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['waivers', 'login_attempts', 'sessions', 'role_grants', 'users', 'federation_members', 'federations']) {
    await db.schema.dropTable(table).execute();
  }
}
