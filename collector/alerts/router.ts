import { createHash } from 'node:crypto';
import type { FindingTransition } from '../lifecycle/transitions.js';
import { routeName, type AlertEvent, type AlertRoute } from './config.js';
import type { AlertTarget, OutgoingAlert, RuleTitleLookup, TransitionAlert } from './types.js';

const SEVERITY_RANK: Record<string, number> = { critical: 0, high: 1, medium: 2, low: 3, info: 4 };

/** True when `severity` is at least as severe as `min`; an unknown severity counts as info. */
export function atLeast(severity: string, min: string): boolean {
  return (SEVERITY_RANK[severity] ?? 4) <= (SEVERITY_RANK[min] ?? 4);
}

export function routeMatchesTenant(route: AlertRoute, tenantId: string): boolean {
  return !route.tenants || route.tenants.includes(tenantId);
}

export function routeMatchesFinding(route: AlertRoute, finding: { severity: string; goals: readonly string[] }): boolean {
  return atLeast(finding.severity, route.minSeverity) && (!route.goals || route.goals.some((g) => finding.goals.includes(g)));
}

type AlertableKind = TransitionAlert['kind'];
const ALERTABLE: ReadonlySet<string> = new Set<AlertableKind>(['new', 'regressed', 'resolved', 'unknown']);

/**
 * Turns the transitions of one report (or one re-judging of the aggregates) into alerts:
 * one per channel, kind and rule, listing every target, so twelve hosts failing the same
 * rule give one alert naming twelve hosts. Two routes that send the same alert to the same
 * channel give it once.
 */
export function routeTransitions(input: {
  tenantId: string;
  tenantName: string;
  transitions: readonly FindingTransition[];
  routes: readonly AlertRoute[];
  ruleTitle: RuleTitleLookup;
}): OutgoingAlert[] {
  const { tenantId, tenantName, transitions, routes, ruleTitle } = input;
  const groups = new Map<string, FindingTransition[]>();
  for (const t of transitions) {
    if (!ALERTABLE.has(t.kind)) continue;
    const key = `${t.kind}\u0000${t.ruleId}`;
    const list = groups.get(key) ?? [];
    list.push(t);
    groups.set(key, list);
  }
  const out = new Map<string, OutgoingAlert>();
  for (const list of groups.values()) {
    const first = list[0] as FindingTransition;
    const kind = first.kind as AlertableKind;
    const targets = uniqueTargets(list);
    const channels = new Set<string>();
    routes.forEach((route) => {
      if (!route.on.includes(kind as AlertEvent) || !routeMatchesTenant(route, tenantId) || !routeMatchesFinding(route, first)) return;
      for (const c of route.channels) channels.add(c);
    });
    if (channels.size === 0) continue;
    const payload: TransitionAlert = {
      type: 'transition',
      kind,
      tenantId,
      tenantName,
      ruleId: first.ruleId,
      ruleTitle: ruleTitle(first.ruleId) ?? null,
      severity: first.severity,
      goals: first.goals,
      targets,
      at: first.at,
    };
    // The event is identified by what changed and where it came from, so enqueuing it again
    // (the same report twice, two replicas) finds the key taken.
    const event = hash(list.map((t) => `${t.targetKind}:${t.targetId}:${t.reportId ?? t.at}`).sort().join('\n'));
    for (const channelId of [...channels].sort()) {
      const dedupeKey = `transition:${tenantId}:${kind}:${first.ruleId}:${event}:${channelId}`;
      out.set(dedupeKey, { channelId, dedupeKey, groupKey: `transition:${channelId}:${tenantId}:${kind}:${first.ruleId}`, payload });
    }
  }
  return [...out.values()];
}

function uniqueTargets(list: readonly FindingTransition[]): AlertTarget[] {
  const seen = new Map<string, AlertTarget>();
  for (const t of list) seen.set(`${t.targetKind}:${t.targetId}`, { kind: t.targetKind, id: t.targetId, name: t.targetName, subjects: t.subjects });
  return [...seen.values()].sort((a, b) => a.name.localeCompare(b.name, 'sv'));
}

function hash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 24);
}

/** The routes (with their names) that want an event for a tenant. */
export function routesFor(routes: readonly AlertRoute[], event: AlertEvent, tenantId: string): { route: AlertRoute; name: string }[] {
  return routes.map((route, i) => ({ route, name: routeName(route, i) })).filter(({ route }) => route.on.includes(event) && routeMatchesTenant(route, tenantId));
}
