import { z } from 'zod';

export const DEFAULT_REACH_SCHEDULE = '20 * * * *';

/**
 * The reach probe's options (`probes.reach.options`): the zone this agent's segment is in and
 * the declared targets in other zones. The probe connects to nothing else.
 */
export function reachOptionsSchema() {
  return z.strictObject({
    /** The zone of the segment this agent sits in (ADM, PED, GÄST, …). */
    zone: z.string().min(1).max(32),
    /** Name of the segment in reports; default: the zone and this host's name. */
    segment: z.string().min(1).max(128).optional(),
    targets: z
      .array(
        z.strictObject({
          host: z.string().min(1).max(253).regex(/^[A-Za-z0-9.:_-]+$/, 'ett värdnamn eller en IP-adress (a host name or IP address)'),
          ports: z.array(z.number().int().min(1).max(65535)).min(1).max(100),
          zone: z.string().min(1).max(32),
        }),
      )
      .min(1)
      .max(1000),
    /** New connection attempts per second at most. */
    ratePerSecond: z.number().positive().max(1000).optional(),
    /** How long an attempt may wait for an answer before it counts as filtered. */
    timeoutMs: z.number().int().min(50).max(30_000).optional(),
    /** Attempts in flight at once. */
    concurrency: z.number().int().min(1).max(256).optional(),
  });
}

export type ReachProbeOptions = z.output<ReturnType<typeof reachOptionsSchema>>;

export const REACH_DEFAULTS = { ratePerSecond: 50, timeoutMs: 1500, concurrency: 16 } as const;
