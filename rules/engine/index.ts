/**
 * The rule engine: loads rule packs (one YAML file per rule), evaluates them on a
 * target's facts and on a tenant's aggregate results, and lints and tests the packs.
 * The rule format is described in rules/README.md.
 */
export { BUNDLED_RULE_DIRS, FRAMEWORK_DIR, OS_LIFECYCLE_FILE, PACKAGE_ROOT } from './paths.js';
export { loadRules, loadRuleFiles, RuleLoadError, formatRuleProblems, type LoadOptions, type LoadOutcome } from './load.js';
export { evaluateTarget, validateParamOverrides } from './evaluate.js';
export { evaluateAggregates } from './aggregate.js';
export { AGGREGATE_FIELDS } from './aggregate-context.js';
export { lintRules, type LintProblem, type LintReport, type LintSeverity } from './lint.js';
export { runRuleTests, DEFAULT_TEST_NOW, type TestCaseResult, type TestReport } from './run-tests.js';
export { ParamsError, type ParamOverrides, type ParamType } from './params.js';
export { CEL_FUNCTIONS } from './cel.js';
export {
  loadOsLifecycle,
  matchLifecycle,
  daysUntilEndOfLife,
  classifyWindowsEdition,
  LifecycleLookupError,
  type LifecycleEntry,
  type LifecycleMatch,
  type OsDescriptor,
  type OsLifecycleTable,
} from './lifecycle.js';
export { problemLocation, type RuleProblem } from './problems.js';
export {
  attestationSchema,
  attestationValidUntil,
  evaluateManualControl,
  manualTestCases,
  ATTESTATION_OUTCOMES,
  type Attestation,
  type AttestationOutcome,
  type ManualEvaluationOptions,
} from './manual.js';
export { SEVERITIES, RULE_STATUSES, type ManualRuleDefinition, type RuleDefinition, type RuleStatus, type RuleTestCase, type Severity } from './schema.js';
export { isManualRule } from './types.js';
export type {
  AggregateOptions,
  AnyRule,
  ManualRule,
  CompiledRule,
  EvaluateOptions,
  EvaluationTarget,
  Evidence,
  Rule,
  RuleResult,
  RuleSet,
} from './types.js';
