import type { z } from 'zod';

const TYPE_NAMES: Record<string, string> = {
  string: 'text',
  number: 'ett tal',
  int: 'ett heltal',
  boolean: 'true eller false',
  object: 'en mappning (nyckel: värde)',
  array: 'en lista',
  undefined: 'ingenting',
  null: 'null',
};

function typeOf(input: unknown): string {
  if (input === null) return 'null';
  if (Array.isArray(input)) return 'array';
  if (typeof input === 'number' && Number.isInteger(input)) return 'int';
  return typeof input;
}

function name(type: string): string {
  return TYPE_NAMES[type] ?? type;
}

/**
 * Swedish messages for the zod issues a config file can produce, with the English
 * gist in parentheses. zod's own Swedish locale mixes languages ("förväntat antal,
 * fick string"), which is worse than either.
 */
export const swedishErrorMap: z.core.$ZodErrorMap = (issue) => {
  switch (issue.code) {
    case 'invalid_type':
      if (issue.input === undefined) return `saknas — förväntade ${name(issue.expected)} (required)`;
      return `förväntade ${name(issue.expected)}, fick ${name(typeOf(issue.input))} (expected ${issue.expected})`;
    case 'invalid_value':
      return `ogiltigt värde ${JSON.stringify(issue.input)} — förväntade ett av ${issue.values.map((v) => JSON.stringify(v)).join(', ')} (invalid value)`;
    case 'too_small':
      if (issue.origin === 'string') {
        return Number(issue.minimum) <= 1 ? 'får inte vara tom (must not be empty)' : `för kort — minst ${String(issue.minimum)} tecken (too short)`;
      }
      return `för litet — minst ${String(issue.minimum)}${issue.inclusive === false ? ' (exklusive)' : ''} (too small)`;
    case 'too_big':
      if (issue.origin === 'string') return `för lång — högst ${String(issue.maximum)} tecken (too long)`;
      return `för stort — högst ${String(issue.maximum)} (too big)`;
    case 'unrecognized_keys':
      return `okänt fält ${issue.keys.map((k) => `"${k}"`).join(', ')} (unknown field)`;
    default:
      return undefined;
  }
};
