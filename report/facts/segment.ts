import { z } from 'zod';
import { shortText } from '../common.js';
import type { FactSpecs } from './spec.js';

/**
 * Facts the reach probe reports about the network segment its agent sits in: the TCP
 * connections it tried and what happened. Whether a flow was allowed is decided by the
 * rules against the tenant's allowed-flows ruleset.
 */
export const segmentFacts = {
  reachability: {
    description: {
      sv: 'TCP-anslutningsförsök från segmentet till deklarerade mål i andra zoner',
      en: 'TCP connection attempts from the segment to declared targets in other zones',
    },
    value: z.strictObject({
      /** The zone this segment is declared to be in (ADM, PED, …). */
      zone: shortText,
      probes: z
        .array(
          z.strictObject({
            host: shortText,
            port: z.number().int().min(1).max(65535),
            /** The zone the target is declared to be in. */
            zone: shortText,
            /** open: connected; closed: refused (RST); filtered: no answer before the timeout; error: anything else. */
            outcome: z.enum(['open', 'closed', 'filtered', 'error']),
            ms: z.number().nonnegative(),
            detail: shortText.nullable(),
          }),
        )
        .max(10_000),
    }),
  },
} satisfies FactSpecs;
