import { z } from 'zod';
import { FACT_CATALOGUE } from './facts/index.js';
import { REPORT_SCHEMA_VERSION, reportSchema } from './schema.js';

/**
 * The report format as JSON Schema (draft 2020-12), for people and tools outside
 * TypeScript. Each fact's value schema is listed under `$defs` by `<kind>.<name>`.
 */
export function reportJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(reportSchema, { target: 'draft-2020-12', io: 'input' }) as Record<string, unknown>;
  const defs: Record<string, unknown> = {};
  for (const [kind, facts] of Object.entries(FACT_CATALOGUE)) {
    for (const [name, spec] of Object.entries(facts)) {
      defs[`${kind}.${name}`] = { description: spec.description.en, ...z.toJSONSchema(spec.value, { target: 'draft-2020-12', io: 'input' }) };
    }
  }
  return {
    ...schema,
    $id: `https://basvakt.invalid/schema/report-v${REPORT_SCHEMA_VERSION}.json`,
    title: 'basvakt report',
    description: 'A report from a basvakt agent. An ok fact\'s value must match $defs["<target kind>.<fact name>"].',
    $defs: { ...((schema.$defs as Record<string, unknown>) ?? {}), ...defs },
  };
}
