import type { z } from 'zod';
import { factSpec } from '../../report/facts/index.js';
import type { TargetKind } from '../../report/schema.js';

/**
 * Evidence paths: `host.antivirus.products` names a fact (`antivirus` of the host) and a
 * path inside its value. A path that crosses a list continues into each element:
 * `host.localAdmins.accounts.name` is the list of account names.
 */

export interface EvidencePath {
  path: string;
  fact: string;
  /** Keys inside the fact's value. */
  keys: string[];
}

export type EvidencePathProblem = { message: string };

/** Unwraps nullable/optional/default wrappers. */
function unwrap(schema: z.ZodType): z.ZodType {
  let s = schema as z.ZodType & { def: { type: string; innerType?: z.ZodType } };
  while (['nullable', 'optional', 'default', 'readonly', 'prefault', 'nonoptional'].includes(s.def.type) && s.def.innerType) {
    s = s.def.innerType as typeof s;
  }
  return s;
}

/** The schema of `key` inside `schema`, looking through lists; undefined when there is no such key. */
function child(schema: z.ZodType, key: string): z.ZodType | undefined {
  let s = unwrap(schema) as z.ZodType & { def: { type: string; shape?: Record<string, z.ZodType>; element?: z.ZodType } };
  while (s.def.type === 'array' && s.def.element) s = unwrap(s.def.element) as typeof s;
  if (s.def.type !== 'object' || !s.def.shape) return undefined;
  return Object.hasOwn(s.def.shape, key) ? s.def.shape[key] : undefined;
}

/**
 * Parses and checks an evidence path against the rule's target kind, its declared facts
 * and the fact catalogue.
 */
export function parseEvidencePath(
  path: string,
  kind: TargetKind,
  declaredFacts: readonly string[],
): EvidencePath | EvidencePathProblem {
  const parts = path.split('.');
  if (parts.some((p) => !/^[A-Za-z][A-Za-z0-9]*$/.test(p))) {
    return { message: `"${path}" är ingen giltig sökväg (not a valid path such as ${kind}.fact.field)` };
  }
  const [root, fact, ...keys] = parts;
  if (root !== kind || fact === undefined) {
    return { message: `"${path}" ska börja med ${kind}.<fakta> (must start with ${kind}.<fact>)` };
  }
  if (!declaredFacts.includes(fact)) {
    return { message: `"${path}" pekar på fakta "${fact}" som inte finns i facts (refers to a fact not declared in facts)` };
  }
  const spec = factSpec(kind, fact);
  if (!spec) return { message: `okänd fakta "${fact}" för ${kind} (unknown fact)` };
  let schema: z.ZodType | undefined = spec.value;
  for (const key of keys) {
    schema = child(schema, key);
    if (!schema) return { message: `"${path}": fältet "${key}" finns inte i faktan ${fact} (no such field in the fact)` };
  }
  return { path, fact, keys };
}

const MAX_LIST = 100;

/** Reads the value at `keys`, mapping over lists; undefined where a key is absent. */
export function readPath(value: unknown, keys: readonly string[]): unknown {
  return readFrom(value, keys, 0);
}

function readFrom(value: unknown, keys: readonly string[], from: number): unknown {
  let current: unknown = value;
  for (let i = from; i < keys.length; i++) {
    if (Array.isArray(current)) return current.map((item) => readFrom(item, keys, i));
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[keys[i]!];
  }
  return current;
}

/** Caps long lists so a finding stays readable (see omittedItems). */
export function capList(value: unknown): unknown {
  return Array.isArray(value) && value.length > MAX_LIST ? value.slice(0, MAX_LIST) : value;
}

/** How many items capList leaves out of the value. */
export function omittedItems(value: unknown): number {
  return Array.isArray(value) && value.length > MAX_LIST ? value.length - MAX_LIST : 0;
}
