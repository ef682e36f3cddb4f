import { dirname, resolve } from 'node:path';
import type { z } from 'zod';
import { InputFileError, parseYaml, readInputFile, type ParsedYaml } from '../../common/yaml.js';
import { closestMatch } from '../../common/suggest.js';
import { formatPath, type Problem } from '../../common/validation.js';
import { withRegister } from '../probes/catalogue.js';
import { DEFAULT_WEB_SCHEDULE } from '../probes/web/options.js';
import { swedishErrorMap } from './messages.js';
import { createAgentConfigSchema, type AgentConfig } from './schema.js';

/** Reads and validates the agent config file; every problem names file, line and field. */
export async function loadAgentConfig(file: string): Promise<AgentConfig> {
  const absolute = resolve(file);
  const config = parseAgentConfig(await readInputFile(absolute), absolute);
  // A broken register fails here, with its own file and lines, not at the first scan hours later.
  if (config.register) await (await import('../register/load.js')).loadRegister(config.register);
  return config;
}

/** Validates config text as if it were read from `file`; relative paths resolve against its folder. */
export function parseAgentConfig(text: string, file: string): AgentConfig {
  const absolute = resolve(file);
  const parsed = parseYaml(text, absolute);
  const schema = createAgentConfigSchema(dirname(absolute));
  // An empty file parses as null; let the schema say what is missing.
  const result = schema.safeParse(parsed.value ?? {}, { error: swedishErrorMap });
  if (result.success) return applyRegister(result.data);
  throw new InputFileError(absolute, problemsWithLines(result.error, parsed, schema));
}

/** The probes that read the system register get its path (the file is read when they run). */
function applyRegister(config: AgentConfig): AgentConfig {
  const register = config.register;
  if (!register) return config;
  const { directory } = config.probes;
  // The register's entries reach the collector through the web probe, so a register implies it.
  const web = (config.probes.web ??= { enabled: true, schedule: DEFAULT_WEB_SCHEDULE, options: undefined });
  web.options = withRegister('web', web.options, register) as typeof web.options;
  if (directory?.options) directory.options = withRegister('directory', directory.options, register) as typeof directory.options;
  return config;
}

/**
 * Zod issues as problems with the line of the offending field; an unknown key is reported at
 * the key itself, with the closest allowed name ("menade du …?") and the list of allowed fields.
 */
export function problemsWithLines(error: z.ZodError, parsed: Pick<ParsedYaml, 'lineOf'>, schema: z.ZodType): Problem[] {
  const problems: Problem[] = [];
  for (const issue of error.issues) {
    if (issue.code === 'unrecognized_keys') {
      const allowed = allowedKeysAt(schema, issue.path);
      for (const key of issue.keys) {
        const path = [...issue.path, key];
        const suggestion = closestMatch(key, allowed);
        problems.push({
          path: formatPath(path),
          message: `okänt fält (unknown field)${suggestion ? ` — menade du "${suggestion}"? (did you mean)` : ''}${allowed.length > 0 ? ` — tillåtna fält här: ${allowed.join(', ')}` : ''}`,
          line: parsed.lineOf(path),
        });
      }
      continue;
    }
    problems.push({ path: formatPath(issue.path), message: issue.message, line: parsed.lineOf(issue.path) });
  }
  return problems.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
}

interface SchemaDef {
  type: string;
  innerType?: z.ZodType;
  in?: z.ZodType;
  shape?: Record<string, z.ZodType>;
  element?: z.ZodType;
}

function defOf(schema: z.ZodType): SchemaDef {
  return (schema as unknown as { _zod: { def: SchemaDef } })._zod.def;
}

function unwrap(schema: z.ZodType): z.ZodType {
  let current = schema;
  for (;;) {
    const def = defOf(current);
    if (def.innerType && ['default', 'prefault', 'optional', 'nullable'].includes(def.type)) current = def.innerType;
    else if (def.type === 'pipe' && def.in) current = def.in;
    else return current;
  }
}

/** The field names an object in the schema accepts, to help with a misspelt key. */
function allowedKeysAt(schema: z.ZodType, path: ReadonlyArray<PropertyKey>): string[] {
  let current: z.ZodType | undefined = unwrap(schema);
  for (const key of path) {
    const def = defOf(current);
    if (def.type === 'array' && typeof key === 'number') current = def.element;
    else current = def.shape && typeof key === 'string' ? def.shape[key] : undefined;
    if (!current) return [];
    current = unwrap(current);
  }
  return Object.keys(defOf(current).shape ?? {});
}
