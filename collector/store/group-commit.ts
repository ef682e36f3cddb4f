import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from './schema.js';

type Settled<R> = { ok: true; value: R } | { ok: false; error: unknown };

interface Pending<T, R> {
  item: T;
  resolve: (value: R) => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit for the embedded database: writes submitted while another group is being
 * written are done together in one transaction, each in its own savepoint, and every
 * submitter hears back only after that transaction has committed. One sync to disk serves
 * the whole group, and pages that several writes touch (the ends of the indexes) are
 * written once. A write that fails is rolled back to its savepoint and fails alone.
 */
export class GroupCommit<T, R> {
  private queue: Pending<T, R>[] = [];
  private busy = false;
  private idleWaiters: (() => void)[] = [];

  constructor(
    private readonly db: Kysely<Database>,
    private readonly write: (trx: Transaction<Database>, item: T) => Promise<R>,
    private readonly maxGroup = 64,
  ) {}

  submit(item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      this.schedule();
    });
  }

  /** Resolves when every write submitted so far has been committed or has failed. */
  idle(): Promise<void> {
    if (!this.busy && this.queue.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Waits one turn of the event loop, so that requests already received join the group. */
  private schedule(): void {
    if (this.busy) return;
    this.busy = true;
    setImmediate(() => void this.drain());
  }

  private async drain(): Promise<void> {
    const group = this.queue.splice(0, this.maxGroup);
    try {
      const settled = await this.db.transaction().execute(async (trx) => {
        const results: Settled<R>[] = [];
        for (const { item } of group) results.push(await this.inSavepoint(trx, item));
        return results;
      });
      group.forEach((pending, i) => {
        const result = settled[i]!;
        if (result.ok) pending.resolve(result.value);
        else pending.reject(result.error);
      });
    } catch (error) {
      for (const pending of group) pending.reject(error);
    } finally {
      this.busy = false;
      if (this.queue.length > 0) this.schedule();
      else for (const resolve of this.idleWaiters.splice(0)) resolve();
    }
  }

  private async inSavepoint(trx: Transaction<Database>, item: T): Promise<Settled<R>> {
    await sql`savepoint group_write`.execute(trx);
    try {
      const value = await this.write(trx, item);
      await sql`release group_write`.execute(trx);
      return { ok: true, value };
    } catch (error) {
      await sql`rollback to group_write`.execute(trx);
      await sql`release group_write`.execute(trx);
      return { ok: false, error };
    }
  }
}
