import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../../collector/store/index.js';
import { disposeServersAfterAll, freshConfig, hasPostgres } from './drivers.js';

disposeServersAfterAll();

describe.runIf(hasPostgres)('frequent writes on PostgreSQL', () => {
  let store: Store;

  beforeAll(async () => {
    store = await openStore(await freshConfig('postgres'));
    await store.createTenant('amal', 'Åmåls kommun', new Date());
  }, 60_000);
  afterAll(async () => store?.close());

  it('are prepared once per connection and still write every row; statements with results are never prepared', async () => {
    const names = await store.db.connection().execute(async (conn) => {
      for (let i = 0; i < 15; i++) {
        await conn.insertInto('audit_log').values({ tenant_id: 'amal', actor: 'test', action: 'repeat', details: JSON.stringify({ i }), at: new Date().toISOString() }).execute();
        await conn.insertInto('audit_log').values({ tenant_id: 'amal', actor: 'test', action: 'returning', details: '{}', at: new Date().toISOString() }).returning('id').execute();
      }
      const statements = await sql<{ name: string; statement: string }>`select name, statement from pg_prepared_statements`.execute(conn);
      return statements.rows;
    });
    expect(names.some((s) => s.name.startsWith('basvakt_') && s.statement.startsWith('insert into "audit_log"') && !/returning/i.test(s.statement))).toBe(true);
    expect(names.filter((s) => /returning/i.test(s.statement))).toEqual([]);
    const rows = await store.db.selectFrom('audit_log').select('action').where('tenant_id', '=', 'amal').execute();
    expect(rows.filter((r) => r.action === 'repeat')).toHaveLength(15);
    expect(rows.filter((r) => r.action === 'returning')).toHaveLength(15);
  });
});
