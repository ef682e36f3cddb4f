/**
 * The context of a tenant aggregate rule: `aggregate.<field>`, counted over the combined
 * per-target results of the rules in `aggregate.rules`. total = pass + fail + unknown
 * (targets where every rule is not applicable are left out of total). All numbers are
 * CEL doubles.
 */
export const AGGREGATE_FIELDS = [
  'total',
  'pass',
  'fail',
  'unknown',
  'notApplicable',
  'passPercent',
  'failedTargets',
  'unknownTargets',
] as const;

export interface AggregateCounts {
  pass: number;
  fail: number;
  unknown: number;
  notApplicable: number;
}

export interface AggregateContext {
  total: number;
  pass: number;
  fail: number;
  unknown: number;
  notApplicable: number;
  passPercent: number;
  /** Names of the targets that failed. */
  failedTargets: string[];
  /** Names of the targets whose result is unknown. */
  unknownTargets: string[];
}

/**
 * The context as seen with unknown targets counted as failing (pessimistic) or passing
 * (optimistic). `unknown`, `failedTargets` and `unknownTargets` are the real ones in both.
 */
export function aggregateContext(
  counts: AggregateCounts,
  failedTargets: string[],
  unknownTargets: string[],
  view: 'pessimistic' | 'optimistic' | 'actual',
): AggregateContext {
  const total = counts.pass + counts.fail + counts.unknown;
  const pass = view === 'optimistic' ? counts.pass + counts.unknown : counts.pass;
  const fail = view === 'pessimistic' ? counts.fail + counts.unknown : counts.fail;
  return {
    total,
    pass,
    fail,
    unknown: counts.unknown,
    notApplicable: counts.notApplicable,
    passPercent: total === 0 ? 0 : (pass * 100) / total,
    failedTargets,
    unknownTargets,
  };
}
