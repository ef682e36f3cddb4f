import type { z } from 'zod';

/** One thing wrong with a piece of input: where, and what was expected there. */
export interface Problem {
  /** Path in the input, such as `targets[0].facts[2].value.running`. Empty for the whole input. */
  path: string;
  message: string;
  /** Line and column in the source file, when the input came from a file. */
  line?: number;
  column?: number;
}

export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out === '' ? String(part) : `.${String(part)}`;
  }
  return out;
}

export function joinPath(prefix: string, path: string): string {
  if (prefix === '') return path;
  if (path === '') return prefix;
  return path.startsWith('[') ? prefix + path : `${prefix}.${path}`;
}

export function problemsFromZod(error: z.ZodError, prefix = ''): Problem[] {
  return error.issues.map((issue) => ({
    path: joinPath(prefix, formatPath(issue.path)),
    message: issue.message,
  }));
}

export function describeProblems(problems: readonly Problem[], source?: string): string {
  return problems
    .map((p) => {
      const where = [source, p.line !== undefined ? `rad ${p.line}` : undefined].filter(Boolean).join(':');
      const field = p.path === '' ? '' : `${p.path}: `;
      return `${where ? `${where}: ` : ''}${field}${p.message}`;
    })
    .join('\n');
}
