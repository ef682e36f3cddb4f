import type { RuleSet } from '../../rules/engine/index.js';
import { frameworkCoverage, type Coverage, type CoverageSummary, type LinkOutcome, type RequirementResult, type RuleTally } from '../../rules/frameworks/coverage.js';
import type { Framework, FrameworkSet } from '../../rules/frameworks/index.js';
import { countsByRule, type RuleCount } from '../dashboard/queries.js';

type Text = { sv: string; en: string };

export type { Coverage, RequirementResult };

/**
 * One requirement of a framework and the rules that check it, read from
 * rules/frameworks/<id>.yaml. `manual` marks a requirement covered only by manual controls.
 */
export interface FrameworkRequirement {
  id: string;
  title: Text;
  ruleIds: string[];
  manual?: boolean;
}

export interface RequirementStatus extends FrameworkRequirement {
  /** 0 for a top-level requirement, 1 for a sub-requirement (CIS safeguard, BITS check). */
  depth: number;
  level?: 'bas' | 'hög';
  inferred: boolean;
  coverage: Coverage;
  result: RequirementResult;
  reason?: string;
  rules: { id: string; reason: string; manual: boolean; outcome: LinkOutcome }[];
}

export interface AssessedFramework {
  framework: Pick<Framework, 'id' | 'name' | 'version' | 'source' | 'complete' | 'note'>;
  requirements: RequirementStatus[];
  summary: CoverageSummary;
  unitSummary?: CoverageSummary;
}

/**
 * Per-rule results of a tenant for the coverage table. Waived failures stay failures: a
 * requirement with an accepted risk is not met. Manual controls without an attestation
 * have no entry and count as not attested.
 */
export function tenantTallies(counts: readonly RuleCount[], manual: ReadonlyMap<string, RuleTally> = new Map()): Map<string, RuleTally> {
  const out = new Map<string, RuleTally>(manual);
  for (const [id, c] of countsByRule(counts)) out.set(id, { pass: c.pass, fail: c.fail, unknown: c.unknown, notApplicable: c.notApplicable });
  return out;
}

/** Every framework with coverage and the tenant's result per requirement. Not covered is never met. */
export function assessFrameworks(frameworks: FrameworkSet, rules: RuleSet, tallies: ReadonlyMap<string, RuleTally>): AssessedFramework[] {
  return frameworks.frameworks.map((framework) => {
    const coverage = frameworkCoverage(framework, rules, tallies);
    const requirements = coverage.rows.map((row): RequirementStatus => {
      const req = row.requirement;
      return {
        id: req.id,
        title: req.title,
        ruleIds: row.rules.map((r) => r.id),
        ...(row.coverage === 'manual' ? { manual: true } : {}),
        depth: row.depth,
        ...(req.level ? { level: req.level } : {}),
        inferred: req.inferred,
        coverage: row.coverage,
        result: row.result ?? 'not-assessed',
        ...(row.reason ? { reason: row.reason } : {}),
        rules: row.rules.map((r) => ({ id: r.id, reason: r.reason, manual: r.manual, outcome: r.outcome ?? 'no-data' })),
      };
    });
    return {
      framework: { id: framework.id, name: framework.name, version: framework.version, source: framework.source, complete: framework.complete, note: framework.note },
      requirements,
      summary: coverage.summary,
      ...(coverage.unitSummary ? { unitSummary: coverage.unitSummary } : {}),
    };
  });
}
