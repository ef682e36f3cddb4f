import { randomUUID } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Report, Target } from '../../../report/schema.js';
import { buildReport } from '../../../agent/runtime/report.js';

/** Test helpers shared by the agent runtime suites. */
export function hostTarget(hostname = 'web01'): Target {
  return {
    kind: 'host',
    id: `machine-${hostname}`,
    name: hostname,
    facts: [
      {
        name: 'identity',
        status: 'ok',
        source: 'os.hostname()',
        collectedAt: '2026-11-23T04:00:00.000Z',
        value: { hostname, fqdn: null, machineId: null, addresses: ['10.0.0.5'] },
      },
    ],
  };
}

let clock = Date.parse('2026-11-23T04:00:00.000Z');

/** A valid report; each call is one second later than the previous, so spool order is predictable. */
export function sampleReport(overrides: Partial<Report> = {}): Report {
  clock += 1000;
  return { ...buildReport([hostTarget()], { agentId: 'agent-1', version: '0.1.0', hostname: 'web01', now: new Date(clock) }), ...overrides };
}

export function anotherId(): string {
  return randomUUID();
}

export function tempDir(prefix: string): Promise<string> {
  return mkdtemp(join(tmpdir(), `basvakt-${prefix}-`));
}
