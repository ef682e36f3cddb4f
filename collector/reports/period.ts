const DAY = 86_400_000;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

export interface Period {
  from: Date;
  to: Date;
}

/** `?from=YYYY-MM-DD&to=YYYY-MM-DD`, inclusive UTC days; the last 30 days by default, at most two years. */
export function parsePeriod(query: { from?: unknown; to?: unknown }, now: Date): Period {
  const day = (value: unknown): Date | undefined => (typeof value === 'string' && DATE.test(value) && !Number.isNaN(Date.parse(value)) ? new Date(`${value}T00:00:00Z`) : undefined);
  const today = new Date(`${now.toISOString().slice(0, 10)}T00:00:00Z`);
  let to = day(query.to) ?? today;
  if (to > today) to = today;
  let from = day(query.from) ?? new Date(to.getTime() - 29 * DAY);
  if (from > to) from = to;
  if (to.getTime() - from.getTime() > 730 * DAY) from = new Date(to.getTime() - 730 * DAY);
  return { from, to };
}

export function isoDay(d: Date): string {
  return d.toISOString().slice(0, 10);
}
