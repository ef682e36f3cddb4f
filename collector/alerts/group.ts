import { atLeast } from './router.js';
import type { ClaimedAlert } from './outbox.js';
import type { AlertPayload, AlertTarget, Delivery } from './types.js';

export interface ClaimedGroup {
  channelId: string;
  rows: ClaimedAlert[];
  delivery: Delivery;
}

/**
 * Alerts of one group that were due together (the same rule failing on hosts that reported
 * within the grouping delay) become one delivery listing every target.
 */
export function groupClaimed(rows: readonly ClaimedAlert[]): ClaimedGroup[] {
  const groups = new Map<string, ClaimedAlert[]>();
  for (const row of rows) {
    const key = `${row.channelId}\u0000${row.groupKey}`;
    const list = groups.get(key) ?? [];
    list.push(row);
    groups.set(key, list);
  }
  return [...groups.values()].map((list) => {
    const first = list[0] as ClaimedAlert;
    return { channelId: first.channelId, rows: list, delivery: { ids: list.map((r) => r.dedupeKey), payload: merge(list.map((r) => r.payload)) } };
  });
}

function merge(payloads: readonly AlertPayload[]): AlertPayload {
  const first = payloads[0] as AlertPayload;
  if (first.type !== 'transition' || payloads.length === 1) return first;
  const targets = new Map<string, AlertTarget>();
  let severity = first.severity;
  let at = first.at;
  for (const p of payloads) {
    if (p.type !== 'transition') continue;
    for (const t of p.targets) targets.set(`${t.kind}:${t.id}`, t);
    if (atLeast(p.severity, severity)) severity = p.severity;
    if (p.at < at) at = p.at;
  }
  return { ...first, severity, at, targets: [...targets.values()].sort((a, b) => a.name.localeCompare(b.name, 'sv')) };
}
