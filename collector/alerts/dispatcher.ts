import type { Logger } from 'pino';
import { describeError, type AlertChannel } from './channels/channel.js';
import { groupClaimed, type ClaimedGroup } from './group.js';
import type { Outbox } from './outbox.js';
import type { RateLimiter } from './rate-limit.js';

export interface FlushResult {
  /** Outbox rows delivered. */
  sent: number;
  /** Outbox rows whose send failed (retried later, or dead). */
  failed: number;
  /** Outbox rows held back by a rate limit. */
  held: number;
}

export interface DispatcherOptions {
  outbox: Outbox;
  channels: ReadonlyMap<string, AlertChannel>;
  rateLimiter: RateLimiter;
  logger: Logger;
  intervalMs: number;
  now?: () => Date;
  batchSize?: number;
}

/**
 * Sends what is due in the outbox: claim, send through the channel, mark sent or failed.
 * Runs every few seconds; a round that fails is logged and the loop goes on.
 */
export class AlertDispatcher {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<FlushResult> = Promise.resolve({ sent: 0, failed: 0, held: 0 });
  private stopped = true;
  private readonly now: () => Date;

  constructor(private readonly options: DispatcherOptions) {
    this.now = options.now ?? (() => new Date());
  }

  start(): void {
    this.stopped = false;
    this.schedule();
  }

  /** Runs one round now, after any round in progress; resolves with what it did. */
  flush(): Promise<FlushResult> {
    const round = this.running.then(() => this.round());
    this.running = round.catch(() => ({ sent: 0, failed: 0, held: 0 }));
    return this.running;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.running;
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.flush().finally(() => this.schedule());
    }, this.options.intervalMs);
    this.timer.unref();
  }

  private async round(): Promise<FlushResult> {
    const result: FlushResult = { sent: 0, failed: 0, held: 0 };
    try {
      const claimedAt = this.now().getTime();
      const claimed = await this.options.outbox.claimDue(new Date(claimedAt), this.options.batchSize ?? 100);
      const byChannel = new Map<string, ClaimedGroup[]>();
      for (const group of groupClaimed(claimed)) byChannel.set(group.channelId, [...(byChannel.get(group.channelId) ?? []), group]);
      await Promise.all([...byChannel].map(([channelId, groups]) => this.sendAll(channelId, groups, result, claimedAt)));
    } catch (error) {
      this.options.logger.error({ err: describeError(error) }, 'alert outbox round failed');
    }
    return result;
  }

  private async sendAll(channelId: string, groups: readonly ClaimedGroup[], result: FlushResult, claimedAt: number): Promise<void> {
    const channel = this.options.channels.get(channelId);
    let channelFailed = false;
    for (const group of groups) {
      const ids = group.rows.map((r) => r.id);
      try {
        // After a failure the channel is most likely down: the rest wait for the next round
        // instead of each timing out. Past half the lease, another collector may soon claim
        // the rows, so they are given back rather than sent late.
        if (channelFailed || this.now().getTime() - claimedAt > this.options.outbox.leaseMs / 2) {
          await this.options.outbox.release(ids, this.now());
          result.held += ids.length;
          continue;
        }
        if (!channel) {
          await this.options.outbox.markFailed(group.rows, `kanalen "${channelId}" finns inte i konfigurationen (unknown channel)`, this.now());
          result.failed += ids.length;
          continue;
        }
        if (!this.options.rateLimiter.tryTake(channelId, this.now())) {
          // Not due again until the window has room, so held alerts do not crowd out other channels' in the next claim.
          await this.options.outbox.release(ids, this.options.rateLimiter.nextFreeAt(channelId, this.now()));
          result.held += ids.length;
          continue;
        }
        try {
          await channel.send(group.delivery);
        } catch (error) {
          const message = describeError(error);
          this.options.logger.warn({ channel: channelId, alerts: ids.length, error: message }, 'alert could not be sent; it will be retried');
          channelFailed = true;
          const died = await this.options.outbox.markFailed(group.rows, message, this.now());
          if (died > 0) this.options.logger.error({ channel: channelId, alerts: died, error: message }, 'alert given up after the last attempt; it stays in the outbox as dead');
          result.failed += ids.length;
          continue;
        }
        await this.options.outbox.markSent(ids, this.now());
        result.sent += ids.length;
      } catch (error) {
        // The store itself failed; the lease runs out and the rows are claimed again.
        this.options.logger.error({ channel: channelId, err: describeError(error) }, 'alert outbox could not be updated');
      }
    }
  }
}
