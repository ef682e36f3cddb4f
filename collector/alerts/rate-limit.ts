/** A sliding-window limit on sends per channel, kept in memory by each collector process. */
export class RateLimiter {
  private readonly sent = new Map<string, number[]>();

  constructor(private readonly limits: ReadonlyMap<string, { max: number; windowSeconds: number }>) {}

  /** Takes one send from the channel's allowance; false when the window is full. */
  tryTake(channelId: string, now: Date): boolean {
    const limit = this.limits.get(channelId);
    if (!limit) return true;
    const since = now.getTime() - limit.windowSeconds * 1000;
    const recent = (this.sent.get(channelId) ?? []).filter((t) => t > since);
    if (recent.length >= limit.max) {
      this.sent.set(channelId, recent);
      return false;
    }
    recent.push(now.getTime());
    this.sent.set(channelId, recent);
    return true;
  }

  /** When the channel's window next has room; `now` when it has room already. */
  nextFreeAt(channelId: string, now: Date): Date {
    const limit = this.limits.get(channelId);
    const sent = this.sent.get(channelId) ?? [];
    if (!limit || sent.length < limit.max) return now;
    return new Date(Math.max(now.getTime(), (sent[sent.length - limit.max] as number) + limit.windowSeconds * 1000));
  }
}
