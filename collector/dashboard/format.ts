import type { Texts } from './i18n/index.js';

export function formatPercent(value: number | null, t: Texts): string {
  if (value === null) return '–';
  return `${value.toLocaleString(t.dateFormat, { maximumFractionDigits: 1 })} %`;
}

export function formatDate(iso: string | null | undefined, t: Texts): string {
  if (!iso) return '–';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toLocaleDateString(t.dateFormat, { year: 'numeric', month: '2-digit', day: '2-digit', timeZone: 'UTC' });
}

export function formatDateTime(iso: string | null | undefined, t: Texts): string {
  if (!iso) return '–';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return `${d.toLocaleString(t.dateFormat, { year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', timeZone: 'UTC' })} UTC`;
}

/** A JSON value as short readable text for a table cell. */
export function formatValue(value: unknown): string {
  if (value === null || value === undefined) return '–';
  if (typeof value === 'string') return value;
  const text = JSON.stringify(value);
  return text.length > 600 ? `${text.slice(0, 600)} …` : text;
}
