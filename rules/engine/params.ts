import type { Problem } from '../../common/validation.js';
import type { ParamValue } from './schema.js';

/**
 * Rule parameters: defaults in the rule file, overrides per tenant. The type of each
 * parameter is the type of its default (an empty list is a list of strings). Overrides
 * with an unknown key or a value of the wrong type are refused.
 */

export type ParamType = 'number' | 'string' | 'boolean' | 'string[]' | 'number[]';

/** Overrides per rule id: `{ "BV-AV-002": { maxSignatureAgeDays: 2 } }`. */
export type ParamOverrides = Readonly<Record<string, Readonly<Record<string, unknown>>>>;

export function paramType(value: ParamValue): ParamType {
  if (Array.isArray(value)) return value.length > 0 && typeof value[0] === 'number' ? 'number[]' : 'string[]';
  return typeof value as 'number' | 'string' | 'boolean';
}

function matchesType(value: unknown, type: ParamType): boolean {
  switch (type) {
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'string':
      return typeof value === 'string';
    case 'boolean':
      return typeof value === 'boolean';
    case 'string[]':
      return Array.isArray(value) && value.every((v) => typeof v === 'string');
    case 'number[]':
      return Array.isArray(value) && value.every((v) => typeof v === 'number' && Number.isFinite(v));
  }
}

const TYPE_NAMES: Record<ParamType, string> = {
  number: 'ett tal (a number)',
  string: 'en text (a string)',
  boolean: 'true eller false (a boolean)',
  'string[]': 'en lista med texter (a list of strings)',
  'number[]': 'en lista med tal (a list of numbers)',
};

/**
 * Problems with one rule's overrides; `path` is relative to the overrides object
 * (`maxSignatureAgeDays`).
 */
export function checkRuleOverrides(defaults: Readonly<Record<string, ParamValue>>, overrides: unknown): Problem[] {
  if (overrides === null || typeof overrides !== 'object' || Array.isArray(overrides)) {
    return [{ path: '', message: 'parametrarna ska vara ett objekt (parameters must be an object)' }];
  }
  const problems: Problem[] = [];
  for (const [key, value] of Object.entries(overrides)) {
    if (!Object.hasOwn(defaults, key)) {
      const known = Object.keys(defaults);
      problems.push({
        path: key,
        message: `okänd parameter "${key}" (unknown parameter); ${known.length > 0 ? `kända: ${known.join(', ')}` : 'regeln har inga parametrar (the rule has no parameters)'}`,
      });
      continue;
    }
    const type = paramType(defaults[key]!);
    if (!matchesType(value, type)) problems.push({ path: key, message: `ska vara ${TYPE_NAMES[type]}` });
  }
  return problems;
}

/** Defaults with the overrides laid over them. The overrides must have been checked. */
export function mergeParams(
  defaults: Readonly<Record<string, ParamValue>>,
  overrides: Readonly<Record<string, unknown>> | undefined,
): Record<string, unknown> {
  return overrides ? { ...defaults, ...overrides } : { ...defaults };
}

/** Thrown by evaluation when the tenant's parameter overrides are not valid. */
export class ParamsError extends Error {
  override name = 'ParamsError';
  constructor(readonly problems: Problem[]) {
    super(
      `ogiltiga regelparametrar (invalid rule parameters):\n${problems.map((p) => `${p.path}: ${p.message}`).join('\n')}`,
    );
  }
}
