import { describe, expect, it } from 'vitest';
import { routeTransitions } from '../../../collector/alerts/router.js';
import type { TransitionAlert } from '../../../collector/alerts/types.js';
import { alertsConfig, ruleTitle, transition } from './helpers.js';

const base = { tenantId: 'amal', tenantName: 'Åmåls kommun', ruleTitle };

describe('alert router', () => {
  it('groups the transitions of one flush by rule and kind into one alert listing every host', () => {
    const routes = alertsConfig().routes;
    const transitions = [
      transition({ targetId: 'm2', targetName: 'web02' }),
      transition({ targetId: 'm1', targetName: 'web01' }),
      transition({ ruleId: 'BV-AV-002', targetId: 'm1', targetName: 'web01' }),
      transition({ kind: 'regressed', targetId: 'm3', targetName: 'db01' }),
    ];
    const alerts = routeTransitions({ ...base, transitions, routes });
    expect(alerts).toHaveLength(3);
    const av1 = alerts.find((a) => a.payload.kind === 'new' && (a.payload as TransitionAlert).ruleId === 'BV-AV-001');
    expect((av1?.payload as TransitionAlert).targets.map((t) => t.name)).toEqual(['web01', 'web02']);
    expect((av1?.payload as TransitionAlert).ruleTitle?.sv).toBe('Datorn har ett virusskydd');
    expect(av1?.channelId).toBe('hook');
    expect(av1?.groupKey).toBe('transition:hook:amal:new:BV-AV-001');
  });

  it('filters by tenant, severity, goal and event; known transitions never alert', () => {
    const routes = alertsConfig({
      channels: [
        { id: 'a', kind: 'webhook', url: 'http://127.0.0.1:9/a', secretFile: 'x' },
        { id: 'b', kind: 'webhook', url: 'http://127.0.0.1:9/b', secretFile: 'x' },
      ],
      routes: [
        { tenants: ['bengtsfors'], minSeverity: 'low', channels: ['a'], on: ['new'] },
        { minSeverity: 'critical', channels: ['a'], on: ['new', 'resolved'] },
        { minSeverity: 'medium', goals: ['PATCH'], channels: ['b'], on: ['new'] },
      ],
    }).routes;
    const route = (t: ReturnType<typeof transition>[]) => routeTransitions({ ...base, transitions: t, routes }).map((a) => a.channelId);
    expect(route([transition()])).toEqual([]); // high, AV: below critical, wrong goal, wrong tenant
    expect(route([transition({ severity: 'critical' })])).toEqual(['a']);
    expect(route([transition({ severity: 'critical', kind: 'resolved', toStatus: 'pass' })])).toEqual(['a']);
    expect(route([transition({ severity: 'critical', kind: 'regressed' })])).toEqual([]);
    expect(route([transition({ severity: 'medium', goals: ['PATCH', 'AV'] })])).toEqual(['b']);
    expect(route([transition({ severity: 'critical', kind: 'known', toStatus: 'pass' })])).toEqual([]);
    expect(routeTransitions({ ...base, tenantId: 'bengtsfors', transitions: [transition({ severity: 'low' })], routes }).map((a) => a.channelId)).toEqual(['a']);
  });

  it('sends an alert once per channel when two routes match, with a key that is stable for the same event', () => {
    const config = alertsConfig({ routes: [{ channels: ['hook'], on: ['new'] }, { channels: ['hook'], goals: ['AV'], on: ['new'] }] });
    const first = routeTransitions({ ...base, transitions: [transition()], routes: config.routes });
    expect(first).toHaveLength(1);
    const again = routeTransitions({ ...base, transitions: [transition()], routes: config.routes });
    expect(again[0]?.dedupeKey).toBe(first[0]?.dedupeKey);
    const otherReport = routeTransitions({ ...base, transitions: [transition({ reportId: 'r-2' })], routes: config.routes });
    expect(otherReport[0]?.dedupeKey).not.toBe(first[0]?.dedupeKey);
  });
});
