import { GOALS } from '../../../rules/goals.js';
import type { RuleSet } from '../../../rules/engine/index.js';
import type { PresentedFinding } from '../../services/findings.js';
import { formatDate } from '../format.js';
import { h, type Html } from '../html.js';
import type { Texts } from '../i18n/index.js';
import { ruleTitle } from '../rules.js';
import { emptyRow, findingHref, severityBadge, statusBadge } from './parts.js';

export interface FindingListQuery {
  goal?: string;
  severity?: string;
  status?: string;
  kind?: string;
  rule?: string;
  q?: string;
}

function select(name: string, label: string, current: string | undefined, options: readonly [string, string][], anyLabel: string | null): Html {
  return h`<div class="field"><label for="f-${name}">${label}</label>
<select id="f-${name}" name="${name}">${anyLabel !== null ? h`<option value="">${anyLabel}</option>` : ''}${options.map(
    ([value, text]) => h`<option value="${value}"${value === current ? h` selected` : ''}>${text}</option>`,
  )}</select></div>`;
}

export function findingsPage(input: {
  t: Texts;
  tenant: { id: string; name: string };
  tenants: { id: string; name: string }[];
  query: FindingListQuery;
  findings: PresentedFinding[];
  total: number;
  rules: RuleSet;
}): Html {
  const { t, tenant, query, findings, rules } = input;
  const lang = t.lang;
  const statuses = ['fail', 'waived', 'unknown', 'pass', 'not_applicable', 'disabled'].map((s) => [s, t.status[s] ?? s] as [string, string]);
  const severities = ['critical', 'high', 'medium', 'low', 'info'].map((s) => [s, t.severity[s] ?? s] as [string, string]);
  const kinds = ['host', 'directory', 'switch', 'segment', 'system', 'tenant'].map((s) => [s, t.targetKind[s] ?? s] as [string, string]);
  return h`<h1>${t.findings.title}</h1>
<form method="get" class="filters" role="search" aria-label="${t.findings.filters}">
  ${select('tenant', t.findings.tenant, tenant.id, input.tenants.map((x) => [x.id, x.name]), null)}
  ${select('goal', t.findings.goal, query.goal, GOALS.map((g) => [g.id, `${g.id} – ${g.title[lang]}`]), t.findings.any)}
  ${select('severity', t.findings.severity, query.severity, severities, t.findings.any)}
  ${select('status', t.findings.status, query.status, statuses, t.findings.any)}
  ${select('kind', t.findings.target, query.kind, kinds, t.findings.any)}
  <div class="field grow"><label for="f-q">${t.findings.search}</label><input id="f-q" name="q" type="search" value="${query.q ?? ''}"></div>
  ${query.rule ? h`<input type="hidden" name="rule" value="${query.rule}">` : ''}
  <div class="field actions"><button type="submit">${t.findings.apply}</button> <a href="/t/${tenant.id}/findings">${t.findings.reset}</a></div>
</form>
<p role="status" class="count" data-total="${input.total}">${t.findings.count(findings.length, input.total)}</p>
<div class="table-wrap"><table class="findings">
<thead><tr><th scope="col">${t.findings.colRule}</th><th scope="col">${t.findings.colTarget}</th><th scope="col">${t.findings.colStatus}</th><th scope="col">${t.findings.colLifecycle}</th><th scope="col">${t.findings.colSeverity}</th><th scope="col">${t.findings.colSince}</th></tr></thead>
<tbody>${findings.length === 0
    ? emptyRow(6, t.findings.none)
    : findings.map(
        (f) => h`<tr>
<th scope="row"><a href="${findingHref(tenant.id, f.ruleId, f.targetKind, f.targetId)}">${ruleTitle(rules, f.ruleId, lang)}</a> <span class="rule-id">${f.ruleId}</span></th>
<td>${f.targetName} <span class="muted">${t.targetKind[f.targetKind] ?? f.targetKind}</span></td>
<td>${statusBadge(f.effectiveStatus, t)}</td>
<td>${t.lifecycle[f.lifecycle] ?? f.lifecycle}${f.overdue ? h` <span class="overdue">(${t.findings.overdue})</span>` : ''}</td>
<td>${severityBadge(f.severity, t)}</td>
<td>${formatDate(f.statusSince, t)}</td>
</tr>`,
      )}</tbody>
</table></div>`;
}
