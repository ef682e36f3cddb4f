import type { Target } from '../../report/schema.js';
import type { DirectoryEntry } from '../../agent/probes/directory/options.js';
import { createDirectoryProbe } from '../../agent/probes/directory/index.js';
import { createProbeContext } from '../../agent/runtime/context.js';
import { createLogger } from '../../common/logger.js';
import { evaluateLocally } from '../../cli/local-evaluation.js';
import { reportSchema, type Report } from '../../report/schema.js';
import { validateReport } from '../../report/validate.js';

/** A directory entry with the schema's defaults, for tests. */
export function directoryEntry(fields: Partial<DirectoryEntry> & Pick<DirectoryEntry, 'url' | 'bindDn'>): DirectoryEntry {
  return {
    allowPlainBind: false,
    kind: 'auto',
    timeoutSeconds: 10,
    pageSize: 500,
    maxEntries: 100_000,
    inactiveDays: 90,
    staleComputerDays: 90,
    privilegedGroups: [],
    groups: {},
    ...fields,
  };
}

export async function auditDirectory(entry: DirectoryEntry): Promise<Target> {
  const targets = await createDirectoryProbe([entry]).collect(createProbeContext(createLogger({ level: 'silent' })));
  if (targets.length !== 1) throw new Error(`expected one target, got ${targets.length}`);
  return targets[0]!;
}

export function factValue<T = Record<string, unknown>>(target: Target, name: string): T {
  const fact = target.facts.find((f) => f.name === name);
  if (!fact) throw new Error(`fact ${name} missing`);
  if (fact.status !== 'ok') throw new Error(`fact ${name} is ${fact.status}: ${fact.reason}`);
  return fact.value as T;
}

export function reportOf(target: Target): Report {
  const report = { schemaVersion: 1 as const, reportId: '7d3c6f0e-3b1a-4c7e-9a55-0d2b8f1e4a10', agent: { id: 'test', version: '0', hostname: 'test' }, createdAt: new Date().toISOString(), targets: [target] };
  return reportSchema.parse(report);
}

/** Failing rules and their subjects, by rule id; the form the planted fixtures are compared in. */
export function failures(results: { ruleId: string; status: string; subjects: string[] }[]): Record<string, string[]> {
  return Object.fromEntries(results.filter((r) => r.status === 'fail').map((r) => [r.ruleId, r.subjects]).sort(([a], [b]) => String(a).localeCompare(String(b))));
}

/** Validates the report against the fact catalogue and evaluates it with the bundled rules. */
export async function evaluateTarget(target: Target) {
  const report = reportOf(target);
  const validation = validateReport(report);
  if (!validation.ok) throw new Error(`report does not match the fact catalogue: ${JSON.stringify(validation.problems).slice(0, 2000)}`);
  return evaluateLocally(report);
}
