import { randomUUID } from 'node:crypto';
import type { FindingInput } from '../../collector/store/index.js';
import type { Fact, Report } from '../../report/schema.js';

const AT = '2026-11-23T08:00:00.000Z';

export function okFact(name: string, value: unknown, source = 'test fixture'): Fact {
  return { name, status: 'ok', source, collectedAt: AT, value };
}

export function failedFact(name: string, reason: string, status: 'error' | 'unsupported' = 'error'): Fact {
  return { name, status, source: 'test fixture', collectedAt: AT, reason };
}

/** A small valid host report; override anything. */
export function hostReport(agentId: string, overrides: Partial<Report> = {}, facts?: Fact[]): Report {
  return {
    schemaVersion: 1,
    reportId: randomUUID(),
    agent: { id: agentId, version: '0.1.0', hostname: 'web01' },
    createdAt: AT,
    targets: [
      {
        kind: 'host',
        id: 'machine-web01',
        name: 'web01',
        facts: facts ?? [
          okFact('antivirus', {
            products: [
              {
                name: 'ClamAV',
                kind: 'clamav',
                installed: true,
                running: false,
                realTimeProtection: false,
                signatureVersion: null,
                signatureDate: null,
                signatureAgeDays: null,
                signaturesUpToDate: null,
                mode: null,
              },
            ],
          }),
          okFact('directoryJoin', { joined: false, method: null, domain: null }),
          failedFact('diskEncryption', 'root filesystem is not on a block device', 'unsupported'),
        ],
      },
    ],
    ...overrides,
  };
}

/** A judged finding as the store takes it: BV-AV-001 failing on web01; override anything. */
export function testFinding(overrides: Partial<FindingInput> = {}): FindingInput {
  return {
    ruleId: 'BV-AV-001',
    targetKind: 'host',
    targetId: 'machine-web01',
    targetName: 'web01',
    status: 'fail',
    subjects: [],
    evidence: [],
    params: {},
    severity: 'high',
    goals: ['AV'],
    ...overrides,
  };
}
