export interface BackoffOptions {
  /** Ceiling of the first delay. */
  baseMs?: number;
  /** No delay is ever longer than this, whatever the attempt or Retry-After. */
  capMs?: number;
  /** Shortest delay, so that an unlucky draw does not turn into a tight loop. */
  minMs?: number;
  random?: () => number;
}

export const DEFAULT_BACKOFF = { baseMs: 5_000, capMs: 10 * 60_000, minMs: 1_000 } as const;

/**
 * Exponential backoff with full jitter: the n-th delay is drawn uniformly from
 * [minMs, min(capMs, baseMs · 2ⁿ)]. Jitter spreads the agents of a whole kommun, which
 * all lose the collector at the same moment, so they do not return in one wave.
 */
export class Backoff {
  private attempt = 0;
  private readonly baseMs: number;
  private readonly capMs: number;
  private readonly minMs: number;
  private readonly random: () => number;

  constructor(options: BackoffOptions = {}) {
    this.baseMs = options.baseMs ?? DEFAULT_BACKOFF.baseMs;
    this.capMs = options.capMs ?? DEFAULT_BACKOFF.capMs;
    this.minMs = Math.min(options.minMs ?? DEFAULT_BACKOFF.minMs, this.capMs);
    this.random = options.random ?? Math.random;
  }

  get attempts(): number {
    return this.attempt;
  }

  /** The ceiling the next delay will be drawn under. */
  ceilingMs(): number {
    return Math.min(this.capMs, this.baseMs * 2 ** Math.min(this.attempt, 40));
  }

  /** The next delay; a server's Retry-After is honoured up to capMs. */
  next(retryAfterMs?: number): number {
    const ceiling = this.ceilingMs();
    this.attempt += 1;
    let delay = Math.max(this.minMs, Math.round(this.random() * ceiling));
    if (retryAfterMs !== undefined) delay = Math.max(delay, Math.min(retryAfterMs, this.capMs));
    return delay;
  }

  reset(): void {
    this.attempt = 0;
  }
}
