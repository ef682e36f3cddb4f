import { alertsConfigSchema, type AlertsConfig } from '../../../collector/alerts/config.js';
import type { AlertChannel } from '../../../collector/alerts/channels/channel.js';
import type { Delivery } from '../../../collector/alerts/types.js';
import type { FindingTransition } from '../../../collector/lifecycle/transitions.js';
import { testFinding } from '../../support/reports.js';

export const T0 = new Date('2026-11-23T06:00:00.000Z');

export function transition(overrides: Partial<FindingTransition> = {}): FindingTransition {
  return {
    kind: 'new',
    ruleId: 'BV-AV-001',
    targetKind: 'host',
    targetId: 'machine-web01',
    targetName: 'web01',
    fromStatus: null,
    toStatus: 'fail',
    severity: 'high',
    goals: ['AV'],
    subjects: [],
    reportId: 'r-1',
    at: T0.toISOString(),
    ...overrides,
  };
}

export const finding = testFinding;

/** An alerts section as a user would write it (parsed by the real schema). */
export function alertsConfig(input: Record<string, unknown> = {}): AlertsConfig {
  return alertsConfigSchema.parse({
    channels: [{ id: 'hook', kind: 'webhook', url: 'http://127.0.0.1:9/hook', secretFile: '/nonexistent' }],
    routes: [{ channels: ['hook'], minSeverity: 'high', on: ['new', 'regressed', 'digest', 'agent-silent'] }],
    ...input,
  });
}

export const ruleTitle = (id: string) => (id === 'BV-AV-001' ? { sv: 'Datorn har ett virusskydd', en: 'The host has anti-virus protection' } : undefined);

/** A channel that records what it is given and fails while `failing` is set. */
export class RecordingChannel implements AlertChannel {
  readonly kind = 'webhook' as const;
  readonly sent: Delivery[] = [];
  failing: string | null = null;
  constructor(readonly id: string) {}
  async send(delivery: Delivery): Promise<void> {
    if (this.failing) throw new Error(this.failing);
    this.sent.push(delivery);
  }
  async close(): Promise<void> {}
}
