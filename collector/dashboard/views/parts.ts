import { h, type Html } from '../html.js';
import type { Texts } from '../i18n/index.js';

const STATUS_MARK: Record<string, string> = { pass: '✓', fail: '✗', unknown: '?', waived: '◐', not_applicable: '–', disabled: '⊘' };

/** A status as a marker and a word; colour only repeats what the word says. */
export function statusBadge(status: string, t: Texts): Html {
  return h`<span class="badge status-${status}"><span aria-hidden="true">${STATUS_MARK[status] ?? '•'}</span> ${t.status[status] ?? status}</span>`;
}

export function severityBadge(severity: string, t: Texts): Html {
  return h`<span class="sev sev-${severity}">${t.severity[severity] ?? severity}</span>`;
}

export function reachedBadge(reached: boolean | null, t: Texts): Html {
  if (reached === null) return h`<span class="badge status-unknown"><span aria-hidden="true">?</span> ${t.overview.notMeasured}</span>`;
  return reached
    ? h`<span class="badge status-pass"><span aria-hidden="true">✓</span> ${t.overview.reached}</span>`
    : h`<span class="badge status-fail"><span aria-hidden="true">✗</span> ${t.overview.notReached}</span>`;
}

export function findingHref(tenant: string, ruleId: string, kind: string, id: string): string {
  return `/t/${encodeURIComponent(tenant)}/findings/${encodeURIComponent(ruleId)}/${encodeURIComponent(kind)}/${encodeURIComponent(id)}`;
}

export function emptyRow(colspan: number, text: string): Html {
  return h`<tr><td colspan="${colspan}" class="empty">${text}</td></tr>`;
}
