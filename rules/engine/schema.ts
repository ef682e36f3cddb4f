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

const refList = (pattern: RegExp, example: string) => z.array(z.string().regex(pattern, `such as "${example}"`)).max(50);

const refsSchema = z.strictObject({
  /** ISO/IEC 27002:2022 controls, such as "8.7". */
  iso27002_2022: refList(/^[5-8]\.\d{1,2}$/, '8.7').optional(),
  /** CIS Controls v8 safeguards, such as "10.1". */
  cis_v8: refList(/^\d{1,2}\.\d{1,2}$/, '10.1').optional(),
  /** MSBFS 2020:7 chapter:paragraph, such as "4:13". */
  msbfs2020_7: refList(/^\d{1,2}:\d{1,2}$/, '4:13').optional(),
  /** NIS2 Article 21(2) letters, such as "g". */
  nis2_art21: refList(/^[a-j]$/, 'g').optional(),
});

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

export const ruleFileSchema = z.strictObject({
  id: ruleIdSchema,
  title: localized,
  /** Goal ids from GOALS.md (rules/goals.ts). May be empty for BITS-only checks (PAT-01 has no 2007 goal). */
  goals: z.array(z.string()).max(10).default([]),
  /** BITS chapter numbers as strings ("10"). */
  bits: z.array(z.string()).max(15).default([]),
  /** BITS.md §3 check ids ("AV-01"). */
  checks: z.array(z.string()).max(20).default([]),
  refs: refsSchema.default({}),
  severity: z.enum(SEVERITIES),
  target: z.enum(TARGET_KINDS),
  /** Facts the rule needs, of its target kind. Any of them missing or failed → unknown. */
  facts: z.array(camelName).max(50).default([]),
  /** Tenant rules over other rules' per-target results (all listed rules must pass per target). */
  aggregate: z.strictObject({ rules: z.array(ruleIdSchema).min(1).max(20) }).optional(),
  params: z.record(camelName, paramValueSchema).default({}),
  /** Where thresholds and requirements come from. */
  sources: z.array(z.string().trim().min(1).max(500)).min(1).max(20),
  applies: celText.optional(),
  unknownWhen: z.array(unknownWhenSchema).max(10).default([]),
  check: celText,
  subjects: celText.optional(),
  /** Paths into the facts (host.antivirus.products) shown with every result. */
  evidence: z.array(z.string().min(1).max(300)).max(30).default([]),
  rationale: localized,
  remediation: localized,
  tests: z.array(testCaseSchema).max(200).default([]),
});

export type RuleDefinition = z.infer<typeof ruleFileSchema>;
