/**
 * Helpers for the JSON that PowerShell's ConvertTo-Json prints. Windows PowerShell 5.1
 * and PowerShell 7 differ in ways a parser has to absorb:
 * - dates: 5.1 writes "\/Date(1700000000000)\/" (milliseconds since the epoch, UTC),
 *   sometimes wrapped as {"value": "\/Date(…)\/", "DateTime": "…"} when the DateTime
 *   carries extended type data; 7 writes ISO 8601 strings;
 * - collections: one element comes out as a bare object, none as nothing at all, and a
 *   collection stored in a property can come out as {"value": […], "Count": n};
 * - enums come out as their numbers unless the script casts them to strings.
 */

export class PsJsonError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PsJsonError';
  }
}

export type PsObject = Record<string, unknown>;

/** Parses ConvertTo-Json output; an empty output (no objects) parses to null. */
export function parsePsJson(text: string): unknown {
  const trimmed = text.replace(/^\uFEFF/, '').trim();
  if (trimmed === '') return null;
  if (!trimmed.startsWith('{') && !trimmed.startsWith('[')) {
    throw new PsJsonError(`expected JSON from ConvertTo-Json, got: ${preview(trimmed)}`);
  }
  try {
    return JSON.parse(trimmed) as unknown;
  } catch (error) {
    throw new PsJsonError(`invalid JSON from ConvertTo-Json (${(error as Error).message}): ${preview(trimmed)}`);
  }
}

export function isPsObject(value: unknown): value is PsObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Whether an object is the {value, Count} wrapper 5.1 writes for a collection. */
function isCollectionWrapper(value: PsObject): boolean {
  const keys = Object.keys(value);
  return keys.includes('value') && keys.includes('Count') && keys.length === 2;
}

/** The elements of whatever ConvertTo-Json made of a collection. */
export function psList(value: unknown): unknown[] {
  if (value === null || value === undefined || value === '') return [];
  if (Array.isArray(value)) return value;
  if (isPsObject(value) && isCollectionWrapper(value)) return psList(value.value);
  return [value];
}

/** Like psList, but every element must be an object. */
export function psObjects(value: unknown, what: string): PsObject[] {
  return psList(value).map((item, i) => {
    if (!isPsObject(item)) throw new PsJsonError(`${what}[${i}] is not an object`);
    return item;
  });
}

/** Exactly one object: the output of a command that returns a single instance. */
export function psSingle(value: unknown, what: string): PsObject {
  const items = psObjects(value, what);
  if (items.length === 0) throw new PsJsonError(`${what}: the command returned nothing`);
  return items[0]!;
}

/** Reads a property regardless of the case PowerShell or WMI used for its name. */
export function prop(obj: PsObject, name: string): unknown {
  if (Object.hasOwn(obj, name)) return obj[name];
  const lower = name.toLowerCase();
  const key = Object.keys(obj).find((k) => k.toLowerCase() === lower);
  return key === undefined ? undefined : obj[key];
}

export function psString(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return value.trim() === '' ? null : value.trim();
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return null;
}

/** Booleans arrive as true/false, 1/0, "True"/"False" depending on type and cast. */
export function psBool(value: unknown): boolean | null {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number') return value === 1 ? true : value === 0 ? false : null;
  if (typeof value === 'string') {
    const v = value.trim().toLowerCase();
    if (v === 'true' || v === '1') return true;
    if (v === 'false' || v === '0') return false;
  }
  return null;
}

export function psInt(value: unknown): number | null {
  if (typeof value === 'number') return Number.isInteger(value) ? value : null;
  if (typeof value === 'string' && /^-?\d+$/.test(value.trim())) return Number.parseInt(value.trim(), 10);
  return null;
}

const MS_DATE = /^\/Date\((-?\d+)([+-]\d{4})?\)\/$/;
const ISO_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
const ISO_NO_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?$/;

/**
 * A date as an ISO 8601 UTC timestamp, or null when absent. Accepts the 5.1
 * "\/Date(ms)\/" form (the number is UTC; a trailing +hhmm is the writer's offset, not
 * a shift of the instant), the wrapped {value: …} form, and ISO strings. An ISO string
 * without an offset (a DateTime of unspecified kind) is read as UTC. WMI uses
 * 1601-01-01 and the Unix epoch for "never"; both read as null.
 */
export function psDate(value: unknown): string | null {
  if (value === null || value === undefined || value === '') return null;
  if (isPsObject(value)) return psDate(prop(value, 'value'));
  if (typeof value !== 'string') throw new PsJsonError(`not a date: ${preview(JSON.stringify(value))}`);
  const text = value.trim();
  let ms: number;
  const msDate = MS_DATE.exec(text);
  if (msDate) ms = Number(msDate[1]);
  else if (ISO_WITH_OFFSET.test(text)) ms = Date.parse(text);
  else if (ISO_NO_OFFSET.test(text)) ms = Date.parse(`${text}Z`);
  else throw new PsJsonError(`not a date: ${preview(text)}`);
  if (!Number.isFinite(ms)) throw new PsJsonError(`not a date: ${preview(text)}`);
  if (ms <= 0) return null;
  return new Date(ms).toISOString();
}

export function preview(text: string, max = 120): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return oneLine.length > max ? `${oneLine.slice(0, max)}…` : oneLine;
}

/** Fits a string into the report's short-text bound. */
export function short(text: string, max = 256): string {
  return text.length > max ? text.slice(0, max) : text;
}
