import type { LocalizedText } from '../../report/facts/index.js';
import type { Fact, FactStatus, TargetKind } from '../../report/schema.js';
import type { CelRuntime, CompiledExpression } from './cel.js';
import type { EvidencePath } from './evidence.js';
import type { OsLifecycleTable } from './lifecycle.js';
import type { ParamOverrides } from './params.js';
import type { ManualRuleDefinition, RuleDefinition, RuleStatus, Severity } from './schema.js';

/** One piece of evidence behind a result: a value from a fact, where it came from and when. */
export interface Evidence {
  /** The rule's evidence path, such as `host.antivirus.products`. */
  path: string;
  /** The value at the path; null when the fact is missing or failed, or the path is absent. */
  value: unknown;
  /** The fact's source (command, file, API); for aggregates, the rules counted. */
  source: string | null;
  collectedAt: string | null;
  /** ok, or why there is no value: the fact failed (error, unsupported) or is missing. */
  status: FactStatus | 'missing';
  /** Items left out of a long list (only the first 100 are kept). */
  omitted?: number;
}

/** The verdict of one rule on one target. Plain JSON: no BigInt, no class instances. */
export interface RuleResult {
  ruleId: string;
  targetKind: TargetKind;
  targetId: string;
  targetName: string;
  status: RuleStatus;
  /** Why the result is unknown or not applicable (Swedish, then English in parentheses). */
  reason?: string;
  /** What causes a failure: service names, account names, host names. Empty unless failing. */
  subjects: string[];
  evidence: Evidence[];
  /** The parameters used (defaults with the tenant's overrides). */
  params: Record<string, unknown>;
  severity: Severity;
  goals: string[];
}

export interface EvaluateOptions {
  now: Date;
  /** Per rule id, overrides of that rule's parameters. Checked before use; treat as immutable. */
  params?: ParamOverrides;
}

export interface AggregateOptions extends EvaluateOptions {
  /** The tenant the aggregate results are about; becomes the result's target id. */
  tenantId: string;
  /** Shown as the result's target name; defaults to tenantId. */
  tenantName?: string;
}

/** A target to evaluate, as in a report. */
export interface EvaluationTarget {
  kind: TargetKind;
  id: string;
  name: string;
  facts: readonly Fact[];
}

export interface CompiledUnknownWhen {
  expression: CompiledExpression;
  reason: LocalizedText;
}

/** A rule's expressions compiled once at load, and what they refer to. */
export interface CompiledRule {
  /** The CEL context kind: the target kind, or `aggregate` for aggregate rules. */
  contextKind: TargetKind | 'aggregate';
  applies?: CompiledExpression;
  /** Facts the `applies` expression reads. */
  appliesFacts: readonly string[];
  unknownWhen: readonly CompiledUnknownWhen[];
  check: CompiledExpression;
  subjects?: CompiledExpression;
  /** Evidence paths of target rules. */
  evidence: readonly EvidencePath[];
  /** Evidence keys of aggregate rules (`passPercent` for `aggregate.passPercent`). */
  aggregateEvidence: readonly string[];
  /** Facts and parameters the expressions read. */
  referencedFacts: ReadonlySet<string>;
  referencedParams: ReadonlySet<string>;
  /** The rule reads `now` or calls a time function. */
  timeDependent: boolean;
}

/** Where a loaded rule came from. */
export interface RuleSource {
  readonly file: string;
  /** Line of a field in the rule file (1-based). */
  lineOf(path: ReadonlyArray<PropertyKey>): number | undefined;
  /** Line and column of a field in the rule file (1-based). */
  positionOf(path: ReadonlyArray<PropertyKey>): { line: number; column: number } | undefined;
}

/** A loaded automated rule: its definition, where it came from, and its compiled form. */
export interface Rule extends RuleDefinition, RuleSource {
  readonly compiled: CompiledRule;
}

/** A loaded manual control: confirmed by an attestation, never evaluated on facts. */
export interface ManualRule extends ManualRuleDefinition, RuleSource {}

/** Any rule of a pack: automated or manual. */
export type AnyRule = Rule | ManualRule;

export function isManualRule(rule: AnyRule): rule is ManualRule {
  return 'manual' in rule && rule.manual !== undefined;
}

export interface RuleSet {
  /** The automated rules, in id order. Manual controls are in `manual`; `all` has both. */
  readonly rules: readonly Rule[];
  readonly byId: ReadonlyMap<string, Rule>;
  /** Manual controls, in id order. No evaluation path (targets, aggregates, tests of facts) sees them. */
  readonly manual: readonly ManualRule[];
  /** Every rule and manual control, in id order: for listings, the catalogue and framework coverage. */
  readonly all: readonly AnyRule[];
  readonly allById: ReadonlyMap<string, AnyRule>;
  /** Rules evaluated per target, by target kind, in id order (aggregate rules excluded). */
  readonly byTarget: ReadonlyMap<TargetKind, readonly Rule[]>;
  /** Tenant aggregate rules, in id order. */
  readonly aggregates: readonly Rule[];
  readonly lifecycle: OsLifecycleTable;
  /** @internal CEL environments and clock. */
  readonly runtime: CelRuntime;
}

export type { ManualRuleDefinition, RuleDefinition, RuleStatus, Severity, ParamOverrides };
