import type { z } from 'zod';
import type { ParsedYaml } from '../../common/yaml.js';
import { formatPath, type Problem } from '../../common/validation.js';

/** A problem in a rule file: which file, which field, which line. */
export interface RuleProblem extends Problem {
  file: string;
}

/**
 * Zod issues as problems carrying the line and column of the offending field. An unknown key
 * is reported at the key itself rather than at the object that contains it.
 */
export function problemsWithPositions(
  error: z.ZodError,
  parsed: Pick<ParsedYaml, 'positionOf'>,
  prefix: ReadonlyArray<PropertyKey> = [],
): Problem[] {
  return error.issues.map((issue) => {
    let path: PropertyKey[] = [...prefix, ...issue.path];
    if (issue.code === 'unrecognized_keys' && issue.keys.length > 0) path = [...path, issue.keys[0]!];
    const pos = parsed.positionOf(path);
    return { path: formatPath(path), message: issue.message, ...(pos ? { line: pos.line, column: pos.column } : {}) };
  });
}

/** "file:line:column" – where a problem is, as editors and terminals understand it. */
export function problemLocation(p: { file: string; line?: number; column?: number }): string {
  return [p.file, p.line, p.line !== undefined ? p.column : undefined].filter((x) => x !== undefined).join(':');
}

/** "sv (en)": user-facing text is Swedish first, with the English in parentheses. */
export function bilingual(sv: string, en: string): string {
  return `${sv} (${en})`;
}
