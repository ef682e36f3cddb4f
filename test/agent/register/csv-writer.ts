import { COLUMNS } from '../../../agent/register/columns.js';
import type { Register, SystemEntry } from '../../../agent/register/index.js';

/**
 * Writes a register as a spreadsheet the way Swedish Excel saves one ("CSV (semikolon-
 * avgränsad)" or with commas), for round trips through the importer. Identity providers are
 * written as their addresses, so the CSV stands on its own.
 */

export interface CsvWriteOptions {
  delimiter?: ';' | ',';
  /** Separator of list items inside a cell. */
  listSeparator?: ' | ' | '\n';
  lineBreak?: '\r\n' | '\n';
  /** Extra columns (header → value per system id), such as a comment column. */
  extra?: Record<string, Record<string, string>>;
}

const CATEGORY_SV: Record<string, string> = {
  business: 'verksamhetssystem',
  'remote-access': 'fjärråtkomst',
  mail: 'e-post',
  directory: 'katalogtjänst',
  infrastructure: 'infrastruktur',
};

function quote(value: string, delimiter: string): string {
  return /["\r\n]/.test(value) || value.includes(delimiter) || value !== value.trim() ? `"${value.replace(/"/g, '""')}"` : value;
}

function read(system: SystemEntry, path: readonly string[]): unknown {
  let value: unknown = system;
  for (const key of path) value = value === undefined || value === null ? undefined : (value as Record<string, unknown>)[key];
  return value;
}

function cell(register: Register, system: SystemEntry, path: readonly string[], listSeparator: string): string {
  const key = path.join('.');
  const value = read(system, path);
  if (value === undefined) return '';
  if (key === 'authentication.identityProvider') return register.identityProviders?.find((i) => i.id === value)?.url ?? String(value);
  if (key === 'remoteAccess') {
    const r = value as { allowed: boolean; via?: string };
    return r.allowed ? (r.via ?? 'ja') : 'nej';
  }
  if (key === 'endpoints') {
    return (value as { protocol: string; host: string; port?: number }[])
      .map((e) => `${e.protocol}://${e.host.includes(':') ? `[${e.host}]` : e.host}${e.port !== undefined ? `:${e.port}` : ''}`)
      .join(listSeparator);
  }
  if (key === 'category') return CATEGORY_SV[value as string] ?? String(value);
  if (key === 'authentication.sso' && value === 'none') return 'lokal';
  if (typeof value === 'boolean') return value ? 'ja' : 'nej';
  if (Array.isArray(value)) return value.join(listSeparator);
  return String(value);
}

export function registerToCsv(register: Register, options: CsvWriteOptions = {}): string {
  const delimiter = options.delimiter ?? ';';
  const listSeparator = options.listSeparator ?? ' | ';
  const lineBreak = options.lineBreak ?? '\r\n';
  const extra = Object.entries(options.extra ?? {});
  const rows = [[...COLUMNS.map((c) => c.headers[0]!), ...extra.map(([header]) => header)]];
  for (const system of register.systems) {
    rows.push([...COLUMNS.map((c) => cell(register, system, c.path, listSeparator)), ...extra.map(([, values]) => values[system.id] ?? '')]);
  }
  return rows.map((row) => row.map((v) => quote(v, delimiter)).join(delimiter)).join(lineBreak) + lineBreak;
}
