import { z } from 'zod';
import { shortText, text, timestamp } from './common.js';

/**
 * The report format: the one contract between agent and collector. Bump the version
 * when a change would make an older collector misread a newer agent's report.
 */
export const REPORT_SCHEMA_VERSION = 1;

export const TARGET_KINDS = ['host', 'directory', 'switch', 'segment', 'system', 'tenant'] as const;
export type TargetKind = (typeof TARGET_KINDS)[number];

export const FACT_STATUSES = ['ok', 'error', 'unsupported'] as const;
export type FactStatus = (typeof FACT_STATUSES)[number];

const factName = z.string().regex(/^[a-z][A-Za-z0-9]{0,63}$/, 'a fact name in camelCase, such as "antivirus"');

const factCommon = {
  name: factName,
  /** Where the observation came from: a command, a file, an API, an LDAP attribute. */
  source: text,
  collectedAt: timestamp,
};

export const okFactSchema = z.strictObject({ ...factCommon, status: z.literal('ok'), value: z.unknown() });
export const failedFactSchema = z.strictObject({
  ...factCommon,
  status: z.enum(['error', 'unsupported']),
  /** Why the fact could not be collected, for the person reading the finding. */
  reason: text,
});
export const factSchema = z.discriminatedUnion('status', [okFactSchema, failedFactSchema]);

export const targetSchema = z.strictObject({
  kind: z.enum(TARGET_KINDS),
  /** Stable identity of the target within its tenant (machine id, domain DN, switch sysName, …). */
  id: shortText.min(1),
  name: shortText.min(1),
  facts: z.array(factSchema).max(200),
});

export const reportSchema = z.strictObject({
  schemaVersion: z.literal(REPORT_SCHEMA_VERSION),
  /** Unique per report; re-sending the same report id changes nothing at the collector. */
  reportId: z.uuid(),
  agent: z.strictObject({ id: shortText.min(1), version: shortText, hostname: shortText }),
  createdAt: timestamp,
  targets: z.array(targetSchema).min(1).max(10_000),
});

export type OkFact = z.infer<typeof okFactSchema>;
export type FailedFact = z.infer<typeof failedFactSchema>;
export type Fact = z.infer<typeof factSchema>;
export type Target = z.infer<typeof targetSchema>;
export type Report = z.infer<typeof reportSchema>;
