import type { SpoolFullReason } from './errors.js';

/**
 * The record of reports the spool refused, kept until the collector has been told: a
 * delivered report carrying the `agentSpool` fact acknowledges every drop counted in it.
 *
 * `dropped` only grows. A report's fact carries it as `droppedTotal`; once the collector
 * has accepted that report, everything up to it is acknowledged, and the next reports
 * count only what was refused after. Drops that happen while a report carrying the fact
 * waits in the spool are therefore never lost from the count.
 */
export interface DropLedgerState {
  /** Reports refused since the spool was created. */
  dropped: number;
  /** The highest `dropped` a delivered report has told the collector. */
  acknowledged: number;
  /**
   * The first drop of each run of drops not yet acknowledged (`seq` is `dropped` after
   * that drop). A run ends when a report takes a snapshot, so acknowledgements fall on
   * run boundaries and the oldest unacknowledged drop is always the first entry.
   */
  runs: { seq: number; at: string }[];
  /** `dropped` at the last snapshot taken for a report. */
  snapshot: number;
  lastDroppedAt: string | null;
  lastError: string | null;
  lastReason: SpoolFullReason | null;
}

/** Runs kept at most; beyond that neighbours merge, keeping the earlier time (never later than the truth). */
const MAX_RUNS = 32;

export function emptyLedger(): DropLedgerState {
  return { dropped: 0, acknowledged: 0, runs: [], snapshot: 0, lastDroppedAt: null, lastError: null, lastReason: null };
}

export function recordDrop(state: DropLedgerState, at: Date, reason: SpoolFullReason, message: string): DropLedgerState {
  const dropped = state.dropped + 1;
  const last = state.runs.at(-1);
  let runs = last && last.seq > state.snapshot ? state.runs : [...state.runs, { seq: dropped, at: at.toISOString() }];
  if (runs.length > MAX_RUNS) runs = [runs[0]!, { seq: runs[2]!.seq, at: runs[1]!.at }, ...runs.slice(3)];
  return { ...state, dropped, runs, lastDroppedAt: at.toISOString(), lastError: message, lastReason: reason };
}

/** Marks the point a report's fact describes; drops after it start a new run. */
export function takeSnapshot(state: DropLedgerState): DropLedgerState {
  return state.snapshot === state.dropped ? state : { ...state, snapshot: state.dropped };
}

/** The collector has received a report whose fact counted `droppedTotal` drops. */
export function acknowledge(state: DropLedgerState, droppedTotal: number): DropLedgerState {
  if (droppedTotal <= state.acknowledged) return state;
  const acknowledged = Math.min(droppedTotal, state.dropped);
  return { ...state, acknowledged, runs: state.runs.filter((r) => r.seq > acknowledged) };
}

export interface DropSummary {
  droppedReports: number;
  droppedTotal: number;
  oldestDroppedAt: string | null;
  lastDroppedAt: string | null;
  lastError: string | null;
}

export function summarize(state: DropLedgerState): DropSummary {
  const unacknowledged = state.dropped - state.acknowledged;
  return {
    droppedReports: unacknowledged,
    droppedTotal: state.dropped,
    oldestDroppedAt: unacknowledged > 0 ? (state.runs[0]?.at ?? state.lastDroppedAt) : null,
    lastDroppedAt: unacknowledged > 0 ? state.lastDroppedAt : null,
    lastError: unacknowledged > 0 ? state.lastError : null,
  };
}

/** The state from its file's text; undefined when it is not one. */
export function parseLedger(text: string): DropLedgerState | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  const v = value as Partial<DropLedgerState> | null;
  const count = (n: unknown) => typeof n === 'number' && Number.isInteger(n) && n >= 0;
  const textOrNull = (t: unknown) => t === null || typeof t === 'string';
  if (!v || typeof v !== 'object' || !count(v.dropped) || !count(v.acknowledged) || !count(v.snapshot) || !Array.isArray(v.runs)) return undefined;
  if (!textOrNull(v.lastDroppedAt) || !textOrNull(v.lastError) || !textOrNull(v.lastReason)) return undefined;
  if (!v.runs.every((r) => r && count(r.seq) && typeof r.at === 'string')) return undefined;
  if (v.acknowledged! > v.dropped! || v.snapshot! > v.dropped!) return undefined;
  return v as DropLedgerState;
}
