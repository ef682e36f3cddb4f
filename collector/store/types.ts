import type { Database } from './schema.js';

export type StoredAgent = Database['agents'];
/** A finding as the store gives it out: its evidence resolved, wherever the values are kept. */
export type FindingRow = FindingStatusRow & { evidence: unknown[] };
/** A finding without its evidence. */
export type FindingStatusRow = Omit<Database['findings'], 'evidence' | 'evidence_paths'>;

/** A judged rule for one target, as the store keeps it. */
export interface FindingInput {
  ruleId: string;
  targetKind: string;
  targetId: string;
  targetName: string;
  /** `disabled`: the tenant switched the rule off (with a reason); never counted as passed. */
  status: 'pass' | 'fail' | 'unknown' | 'not_applicable' | 'disabled';
  reason?: string | undefined;
  subjects: string[];
  evidence: unknown[];
  params: Record<string, unknown>;
  severity: string;
  goals: string[];
}

export interface FindingFilter {
  status?: string[];
  severity?: string[];
  goal?: string;
  ruleIds?: string[];
  targetKind?: string;
  targetId?: string;
}
