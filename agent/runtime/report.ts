import { randomUUID } from 'node:crypto';
import { REPORT_SCHEMA_VERSION, type Report, type Target } from '../../report/schema.js';

export interface ReportMeta {
  agentId: string;
  version: string;
  hostname: string;
  now: Date;
}

/** Wraps a probe's targets in a report envelope with a fresh report id. */
export function buildReport(targets: readonly Target[], meta: ReportMeta): Report {
  if (targets.length === 0) throw new Error('En rapport behöver minst ett mål (a report needs at least one target)');
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    reportId: randomUUID(),
    agent: { id: meta.agentId, version: meta.version, hostname: meta.hostname },
    createdAt: meta.now.toISOString(),
    targets: [...targets],
  };
}
