import { z } from 'zod';
import { problemsFromZod, type Problem } from '../../common/validation.js';
import type { FindingFilter, FindingRow } from '../store/index.js';

const list = z
  .string()
  .max(200)
  .transform((s) => s.split(',').map((v) => v.trim()).filter(Boolean));

const findingQuerySchema = z.strictObject({
  status: list.optional(),
  severity: list.optional(),
  goal: z.string().max(32).optional(),
  targetKind: z.string().max(32).optional(),
  targetId: z.string().max(256).optional(),
});

export function parseFindingQuery(query: unknown): { ok: true; filter: FindingFilter } | { ok: false; problems: Problem[] } {
  const parsed = findingQuerySchema.safeParse(query ?? {});
  if (!parsed.success) return { ok: false, problems: problemsFromZod(parsed.error) };
  const { status, severity, goal, targetKind, targetId } = parsed.data;
  return { ok: true, filter: { status, severity, goal, targetKind, targetId } };
}

/** The API's and the exports' shape of a finding: JSON columns decoded, names in camelCase. */
export function presentFinding(row: FindingRow) {
  return {
    ruleId: row.rule_id,
    targetKind: row.target_kind,
    targetId: row.target_id,
    targetName: row.target_name,
    status: row.status,
    reason: row.reason,
    severity: row.severity,
    goals: JSON.parse(row.goals) as string[],
    subjects: JSON.parse(row.subjects) as string[],
    evidence: JSON.parse(row.evidence) as unknown[],
    params: JSON.parse(row.params) as Record<string, unknown>,
    firstSeenAt: row.first_seen_at,
    statusSince: row.status_since,
    lastEvaluatedAt: row.last_evaluated_at,
  };
}
export type PresentedFinding = ReturnType<typeof presentFinding>;
