import { html as escapeTag } from 'ghtml';

/**
 * HTML that is already safe: produced by `h` (every interpolated value escaped by ghtml)
 * or by the few trusted builders here. Plain strings are never trusted, so a value from a
 * user, a report or the database cannot become markup by accident.
 */
export class Html {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

export type Child = Html | string | number | boolean | null | undefined | readonly Child[];

function render(value: Child): string {
  if (value instanceof Html) return value.text;
  if (Array.isArray(value)) return (value as readonly Child[]).map(render).join('');
  if (value === null || value === undefined || value === false || value === true) return '';
  return escapeTag`${String(value)}`;
}

/** Tagged template: literals are markup, interpolations are escaped unless they are `Html`. */
export function h(literals: TemplateStringsArray, ...values: Child[]): Html {
  let out = literals[0] ?? '';
  for (let i = 0; i < values.length; i++) out += render(values[i]) + (literals[i + 1] ?? '');
  return new Html(out);
}

/** Joins fragments (arrays render as their concatenation anyway; this names the intent). */
export function join(items: readonly Child[]): Html {
  return new Html(items.map(render).join(''));
}
