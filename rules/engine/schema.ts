import { z } from 'zod';
import { TARGET_KINDS } from '../../report/schema.js';

/**
 * The rule file format: one YAML file per rule, with its own test cases.
 * rules/README.md describes each field for rule authors.
 */

export const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];

export const RULE_STATUSES = ['pass', 'fail', 'unknown', 'not_applicable'] as const;
export type RuleStatus = (typeof RULE_STATUSES)[number];

const localized = z.strictObject({ sv: z.string().trim().min(1), en: z.string().trim().min(1) });

export const ruleIdSchema = z
  .string()
  .regex(/^[A-Z][A-Z0-9]*(-[A-Z0-9]+)+$/, 'an id in capitals such as "BV-AV-001"')
  .max(64);

const camelName = z.string().regex(/^[a-z][A-Za-z0-9]{0,63}$/, 'a name in camelCase');

/** A CEL expression (https://github.com/google/cel-spec); compiled and type-checked at load. */
const celText = z.string().trim().min(1).max(4000);

/** Parameter defaults: numbers, strings, booleans or lists of them. The default's type is the parameter's type. */
export const paramValueSchema = z.union([
  z.number().refine(Number.isFinite, 'a finite number'),
  z.string().max(1000),
  z.boolean(),
  z.array(z.string().max(1000)).max(1000),
  z.array(z.number().refine(Number.isFinite, 'a finite number')).max(1000),
]);
export type ParamValue = z.infer<typeof paramValueSchema>;

const unknownWhenSchema = z.strictObject({
  /** When this is true the result is unknown, with `reason`, whatever `check` says. */
  when: celText,
  reason: localized,
});

const aggregateCountsSchema = z.strictObject({
  pass: z.number().int().nonnegative().default(0),
  fail: z.number().int().nonnegative().default(0),
  unknown: z.number().int().nonnegative().default(0),
  notApplicable: z.number().int().nonnegative().default(0),
});

const testCaseSchema = z.strictObject({
  name: z.string().trim().min(1).max(200),
  /**
   * Facts of the target, nested by kind: `{ host: { antivirus: {...} } }`. A value written
   * as `{ error: "reason" }` or `{ unsupported: "reason" }` stands for a fact that could not
   * be collected. A fact left out is missing from the report.
   */
  facts: z.record(z.string(), z.record(z.string(), z.unknown())).optional(),
  /** For aggregate rules: how many targets had each combined result. */
  aggregate: aggregateCountsSchema.optional(),
  /** Parameter overrides, checked like a tenant's overrides. */
  params: z.record(z.string(), z.unknown()).optional(),
  /** Evaluation time; required when the rule depends on time. */
  now: z.iso.datetime({ offset: true }).optional(),
  expect: z.enum(RULE_STATUSES),
  /** Expected subjects, in order. */
  subjects: z.array(z.string()).optional(),
  /** Text the result's reason must contain. */
  reason: z.string().min(1).optional(),
});
export type RuleTestCase = z.infer<typeof testCaseSchema>;

/** Fields every rule file has, automated or manual. */
const commonFields = {
  id: ruleIdSchema,
  title: localized,
  /** Goal ids from GOALS.md (rules/goals.ts). May be empty for checks no 2007 goal names (PAT-01). */
  goals: z.array(z.string()).max(10).default([]),
  /** BITS.md §3 check ids ("AV-01"). */
  checks: z.array(z.string()).max(20).default([]),
  severity: z.enum(SEVERITIES),
  /** Where thresholds and requirements come from. */
  sources: z.array(z.string().trim().min(1).max(500)).min(1).max(20),
  rationale: localized,
  remediation: localized,
};

/**
 * An automated rule: a CEL condition on facts (or on other rules' results, for aggregates).
 * Framework mappings are not here: rules/frameworks/*.yaml link requirements to rules.
 */
export const ruleFileSchema = z.strictObject({
  ...commonFields,
  target: z.enum(TARGET_KINDS),
  /** Facts the rule needs, of its target kind. Any of them missing or failed → unknown. */
  facts: z.array(camelName).max(50).default([]),
  /** Tenant rules over other rules' per-target results (all listed rules must pass per target). */
  aggregate: z.strictObject({ rules: z.array(ruleIdSchema).min(1).max(20) }).optional(),
  params: z.record(camelName, paramValueSchema).default({}),
  applies: celText.optional(),
  unknownWhen: z.array(unknownWhenSchema).max(10).default([]),
  check: celText,
  subjects: celText.optional(),
  /** Paths into the facts (host.antivirus.products) shown with every result. */
  evidence: z.array(z.string().min(1).max(300)).max(30).default([]),
  tests: z.array(testCaseSchema).max(200).default([]),
});

export type RuleDefinition = z.infer<typeof ruleFileSchema>;

/** Fields only automated rules have; a manual control giving one of them is refused at that key. */
export const AUTOMATED_ONLY_FIELDS = ['facts', 'aggregate', 'params', 'applies', 'unknownWhen', 'check', 'subjects', 'evidence', 'tests'] as const;

/**
 * A manual control: a requirement no scanner can see (a process, a training, an offline
 * backup), confirmed by a person's attestation. Evaluated by evaluateManualControl.
 */
export const manualControlSchema = z.strictObject({
  ...commonFields,
  /** Manual controls are confirmed for the whole organisation. */
  target: z.literal('tenant'),
  manual: z.strictObject({
    /** What the person attesting answers yes or no to. */
    question: localized,
    /** What counts as evidence (a document, a decision, a log) and where it is kept. */
    evidence: localized,
    /** An attestation is valid at most this many months. */
    reviewMonths: z.number().int().min(1).max(36).default(12),
  }),
});

export type ManualRuleDefinition = z.infer<typeof manualControlSchema>;
