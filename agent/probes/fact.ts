import type { Fact } from '../../report/schema.js';

/** What a fact collector returns when it succeeds. */
export interface Observation<T = unknown> {
  value: T;
  /** The command, file or API the value came from, e.g. `clamd VERSION (127.0.0.1:3310)`. */
  source: string;
}

/** Thrown by a collector when the fact does not exist on this platform or setup. */
export class UnsupportedFact extends Error {
  constructor(reason: string, readonly source?: string) {
    super(reason);
    this.name = 'UnsupportedFact';
  }
}

/** Thrown by a collector that tried and failed; the reason is shown to the reader. */
export class FactError extends Error {
  constructor(reason: string, readonly source?: string) {
    super(reason);
    this.name = 'FactError';
  }
}

/**
 * Runs one fact collector and turns every outcome into a fact: a value, an
 * unsupported marker, or an error with its reason. A failing collector never
 * throws past this point and never looks like a pass.
 */
export async function observe(
  name: string,
  defaultSource: string,
  collect: () => Promise<Observation>,
  now: () => Date = () => new Date(),
): Promise<Fact> {
  try {
    const { value, source } = await collect();
    return { name, status: 'ok', source, collectedAt: now().toISOString(), value };
  } catch (error) {
    const status = error instanceof UnsupportedFact ? 'unsupported' : 'error';
    const source = (error instanceof UnsupportedFact || error instanceof FactError) && error.source ? error.source : defaultSource;
    const reason = error instanceof Error ? error.message : String(error);
    return { name, status, source, collectedAt: now().toISOString(), reason };
  }
}
