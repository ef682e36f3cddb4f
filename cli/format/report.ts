import type { Report } from '../../report/schema.js';
import type { Lang } from '../i18n.js';

const STATUS: Record<string, { sv: string; en: string }> = {
  ok: { sv: 'ok', en: 'ok' },
  error: { sv: 'FEL', en: 'ERROR' },
  unsupported: { sv: 'stöds ej', en: 'unsupported' },
};

function summarize(value: unknown, width: number): string {
  const text = JSON.stringify(value) ?? '';
  return text.length > width ? `${text.slice(0, width - 1)}…` : text;
}

/** A report as a compact table: one line per fact, with its value or why it is missing. */
export function renderReportTable(report: Report, lang: Lang): string {
  const out: string[] = [];
  for (const target of report.targets) {
    out.push(`${target.kind} ${target.name} (${target.id})`);
    for (const fact of target.facts) {
      const status = STATUS[fact.status]?.[lang] ?? fact.status;
      const detail = fact.status === 'ok' ? summarize(fact.value, 90) : fact.reason;
      out.push(`  ${fact.name.padEnd(18)} ${status.padEnd(9)} ${detail}`);
    }
    out.push('');
  }
  return out.join('\n');
}
