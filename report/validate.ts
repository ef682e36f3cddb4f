import type { Problem } from '../common/validation.js';
import { problemsFromZod } from '../common/validation.js';
import { factSpec } from './facts/index.js';
import { reportSchema, type Report } from './schema.js';

export type ValidationResult = { ok: true; report: Report } | { ok: false; problems: Problem[] };

const MAX_PROBLEMS = 50;

/**
 * Validates a report in two steps: the envelope against the report schema, then every
 * ok fact's value against the fact catalogue. Problems name the exact field.
 */
export function validateReport(input: unknown): ValidationResult {
  const parsed = reportSchema.safeParse(input);
  if (!parsed.success) return { ok: false, problems: problemsFromZod(parsed.error).slice(0, MAX_PROBLEMS) };

  const report = parsed.data;
  const problems: Problem[] = [];
  const targetKeys = new Set<string>();
  report.targets.forEach((target, t) => {
    const targetKey = `${target.kind}\u0000${target.id}`;
    if (targetKeys.has(targetKey)) {
      problems.push({ path: `targets[${t}].id`, message: `target ${target.kind} "${target.id}" appears more than once` });
    }
    targetKeys.add(targetKey);
    if (target.kind === 'tenant') {
      // Tenant facts are derived by the collector from all targets; a reported one could forge coverage.
      problems.push({ path: `targets[${t}].kind`, message: 'mål av typen tenant räknas fram av insamlaren och kan inte rapporteras (tenant targets are derived by the collector, not reported)' });
      return;
    }
    const factNames = new Set<string>();
    target.facts.forEach((fact, f) => {
      const path = `targets[${t}].facts[${f}]`;
      if (factNames.has(fact.name)) {
        problems.push({ path: `${path}.name`, message: `fact "${fact.name}" appears more than once for this target` });
      }
      factNames.add(fact.name);
      const spec = factSpec(target.kind, fact.name);
      if (!spec) {
        problems.push({ path: `${path}.name`, message: `unknown fact "${fact.name}" for a ${target.kind} target` });
        return;
      }
      if (fact.status !== 'ok') return;
      const value = spec.value.safeParse(fact.value);
      if (value.success) fact.value = value.data;
      else problems.push(...problemsFromZod(value.error, `${path}.value`));
    });
  });
  if (problems.length > 0) return { ok: false, problems: problems.slice(0, MAX_PROBLEMS) };
  return { ok: true, report };
}
