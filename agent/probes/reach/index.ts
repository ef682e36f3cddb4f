import { hostname } from 'node:os';
import type { Target } from '../../../report/schema.js';
import { observe } from '../fact.js';
import { mapBounded } from '../network/pool.js';
import type { Probe } from '../probe.js';
import { tcpConnect, type ConnectResult } from './connect.js';
import { REACH_DEFAULTS, type ReachProbeOptions } from './options.js';

export type { ReachProbeOptions } from './options.js';

/** Hands out start times at least 1/rate apart, so attempts never burst above the rate. */
function rateLimiter(perSecond: number): () => Promise<void> {
  const gap = 1000 / perSecond;
  let next = 0;
  return async () => {
    const now = performance.now();
    const at = Math.max(now, next);
    next = at + gap;
    if (at > now) await new Promise((r) => setTimeout(r, at - now));
  };
}

/**
 * The reach probe: from the segment the agent sits in, a TCP connect to each declared
 * target and port, and nothing else. Whether a flow should be open is for the rules.
 */
export function createReachProbe(options: ReachProbeOptions | undefined): Probe {
  return {
    name: 'reach',
    async collect(ctx) {
      if (!options) {
        ctx.logger.warn('reach: inga mål angivna (no targets configured)');
        return [];
      }
      const attempts = options.targets.flatMap((t) => [...new Set(t.ports)].map((port) => ({ host: t.host, port, zone: t.zone })));
      const wait = rateLimiter(options.ratePerSecond ?? REACH_DEFAULTS.ratePerSecond);
      const timeoutMs = options.timeoutMs ?? REACH_DEFAULTS.timeoutMs;
      const source = `TCP connect från ${hostname()} (zon ${options.zone})`;
      const fact = await observe(
        'reachability',
        source,
        async () => {
          const results = await mapBounded(attempts, options.concurrency ?? REACH_DEFAULTS.concurrency, async (a): Promise<ConnectResult> => {
            await wait();
            return tcpConnect(a.host, a.port, timeoutMs);
          });
          return {
            value: { zone: options.zone, probes: attempts.map((a, i) => ({ ...a, ...results[i]! })) },
            source,
          };
        },
        () => ctx.now(),
      );
      const id = options.segment ?? `${options.zone}@${hostname()}`;
      const target: Target = { kind: 'segment', id, name: id, facts: [fact] };
      return [target];
    },
  };
}
