import type { Logger } from 'pino';
import type { Store } from '../store/index.js';
import type { Evaluator } from './evaluator.js';

/**
 * Tenant-wide rules look at every target of a tenant, so re-judging them on each report
 * would make ingest quadratic. Tenants are marked dirty on ingest and re-judged at most
 * once per interval, and on demand before findings are read.
 */
export class AggregateRefresher {
  private readonly dirty = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> = Promise.resolve();

  constructor(
    private readonly store: Store,
    private readonly evaluator: Evaluator,
    private readonly logger: Logger,
    private readonly intervalMs = 2000,
    private readonly now: () => Date = () => new Date(),
  ) {}

  markDirty(tenantId: string): void {
    this.dirty.add(tenantId);
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      void this.flush();
    }, this.intervalMs);
  }

  /** Re-judges every dirty tenant now; resolves when done. */
  flush(): Promise<void> {
    this.running = this.running.then(async () => {
      const tenants = [...this.dirty];
      this.dirty.clear();
      for (const tenantId of tenants) {
        try {
          await this.evaluator.refreshAggregates(this.store, tenantId, this.now());
        } catch (error) {
          this.logger.error({ err: error, tenantId }, 'aggregate rules could not be evaluated');
          this.dirty.add(tenantId);
        }
      }
    });
    return this.running;
  }

  async stop(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.flush();
  }
}
