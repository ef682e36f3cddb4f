import type { z } from 'zod';
import type { ParsedYaml } from '../../common/yaml.js';
import { formatPath, type Problem } from '../../common/validation.js';

/** A problem in a rule file: which file, which field, which line. */
export interface RuleProblem extends Problem {
  file: string;
}

/**
 * Zod issues as problems carrying the line of the offending field. An unknown key is
 * reported at the key itself rather than at the object that contains it.
 */
export function problemsWithLines(
  error: z.ZodError,
  parsed: Pick<ParsedYaml, 'lineOf'>,
  prefix: ReadonlyArray<PropertyKey> = [],
): Problem[] {
  return error.issues.map((issue) => {
    let path: PropertyKey[] = [...prefix, ...issue.path];
    if (issue.code === 'unrecognized_keys' && issue.keys.length > 0) path = [...path, issue.keys[0]!];
    return { path: formatPath(path), message: issue.message, line: parsed.lineOf(path) };
  });
}

/** "sv (en)": user-facing text is Swedish first, with the English in parentheses. */
export function bilingual(sv: string, en: string): string {
  return `${sv} (${en})`;
}
