import type { Lang, Localized } from '../i18n.js';

export const STATUS_LABEL: Record<string, Localized> = {
  fail: { sv: 'underkänd', en: 'fail' },
  unknown: { sv: 'okänd', en: 'unknown' },
  pass: { sv: 'godkänd', en: 'pass' },
  not_applicable: { sv: 'ej tillämplig', en: 'not applicable' },
  waived: { sv: 'undantagen', en: 'waived' },
};

/** Plural forms, for counts such as "3 underkända". */
export const STATUS_PLURAL: Record<string, Localized> = {
  fail: { sv: 'underkända', en: 'failing' },
  unknown: { sv: 'okända', en: 'unknown' },
  pass: { sv: 'godkända', en: 'passing' },
  not_applicable: { sv: 'ej tillämpliga', en: 'not applicable' },
  waived: { sv: 'undantagna', en: 'waived' },
};

export const STATUS_MARK: Record<string, string> = { fail: '✗', unknown: '?', pass: '✓', not_applicable: '–', waived: '~' };

export const SEVERITY_LABEL: Record<string, Localized> = {
  critical: { sv: 'kritisk', en: 'critical' },
  high: { sv: 'hög', en: 'high' },
  medium: { sv: 'medel', en: 'medium' },
  low: { sv: 'låg', en: 'low' },
  info: { sv: 'info', en: 'info' },
};

export const SEVERITY_ORDER = ['critical', 'high', 'medium', 'low', 'info'];

export function label(map: Record<string, Localized>, key: string, lang: Lang): string {
  return map[key]?.[lang] ?? key;
}
