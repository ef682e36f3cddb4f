import { z } from 'zod';
import { problemsFromZod, type Problem } from '../../common/validation.js';
import type { FindingFilter } from '../store/index.js';

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
