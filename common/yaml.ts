import { readFile } from 'node:fs/promises';
import { isMap, isSeq, LineCounter, parseDocument, type Node } from 'yaml';
import type { z } from 'zod';
import { formatPath, problemsFromZod, describeProblems, type Problem } from './validation.js';

/** A file that could not be read, parsed or validated; each problem names path and line. */
export class InputFileError extends Error {
  constructor(
    readonly file: string,
    readonly problems: Problem[],
  ) {
    super(describeProblems(problems, file));
    this.name = 'InputFileError';
  }
}

export interface ParsedYaml {
  value: unknown;
  /** Line (1-based) where the value at this path starts, if it exists in the file. */
  lineOf(path: ReadonlyArray<PropertyKey>): number | undefined;
  /** Line and column (1-based) of the key (or list item) at this path, or of the nearest parent that exists. */
  positionOf(path: ReadonlyArray<PropertyKey>): { line: number; column: number } | undefined;
}

export function parseYaml(text: string, file: string): ParsedYaml {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new InputFileError(
      file,
      doc.errors.map((e) => {
        const pos = e.pos[0] !== undefined ? lineCounter.linePos(e.pos[0]) : undefined;
        return { path: '', message: e.message.split('\n')[0] ?? e.message, line: pos?.line, column: pos?.col };
      }),
    );
  }
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 100 });
  } catch (error) {
    // An alias to an anchor that does not exist, or too many aliases (a "billion laughs" file).
    throw new InputFileError(file, [{ path: '', message: `ogiltig YAML (invalid YAML): ${(error as Error).message.split('\n')[0]}` }]);
  }
  const positionOf = (path: ReadonlyArray<PropertyKey>) => {
    let node: unknown = doc.contents;
    const posOfNode = (n: unknown) => {
      const range = (n as Node | undefined)?.range;
      return range ? lineCounter.linePos(range[0]) : undefined;
    };
    let pos = posOfNode(node);
    for (const key of path) {
      if (isMap(node)) {
        const pair = node.items.find((p) => (p.key as { value?: unknown } | null)?.value === key);
        if (!pair) break;
        pos = posOfNode(pair.key) ?? pos;
        node = pair.value;
      } else if (isSeq(node) && typeof key === 'number') {
        node = node.items[key];
        pos = posOfNode(node) ?? pos;
      } else break;
    }
    return pos ? { line: pos.line, column: pos.col } : undefined;
  };
  return {
    value,
    lineOf: (path) => positionOf(path)?.line,
    positionOf,
  };
}

/** Validates parsed YAML against a schema; problems carry the line of the offending field. */
export function validateYaml<S extends z.ZodType>(parsed: ParsedYaml, schema: S, file: string): z.infer<S> {
  const result = schema.safeParse(parsed.value);
  if (result.success) return result.data;
  const problems = problemsFromZod(result.error).map((p, i) => ({
    ...p,
    line: parsed.lineOf(result.error.issues[i]?.path ?? []),
  }));
  throw new InputFileError(file, problems);
}

/** Reads a text file; a missing or unreadable file becomes an InputFileError naming it. */
export async function readInputFile(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const message = code === 'ENOENT' ? 'filen finns inte (file not found)' : `kan inte läsas (cannot be read): ${code ?? String(error)}`;
    throw new InputFileError(file, [{ path: '', message }]);
  }
}

export async function loadYamlFile<S extends z.ZodType>(file: string, schema: S): Promise<z.infer<S>> {
  return validateYaml(parseYaml(await readInputFile(file), file), schema, file);
}

export { formatPath };
