import { h, type Html } from '../dashboard/html.js';
import type { Texts } from '../dashboard/i18n/index.js';
import { emptyRow } from '../dashboard/views/parts.js';
import type { AssessedFramework, Coverage, RequirementResult, RequirementStatus } from './frameworks.js';
import { isoDay, type Period } from './period.js';

export function reportsPage(t: Texts, tenantId: string, period: Period, pdfAvailable: boolean): Html {
  const base = `/t/${encodeURIComponent(tenantId)}/reports`;
  const q = `?from=${isoDay(period.from)}&to=${isoDay(period.to)}&lang=${t.lang}`;
  return h`<h1>${t.reports.title}</h1><p class="lead">${t.reports.lead}</p>
<form method="get" class="filters" aria-label="${t.reports.title}">
  <div class="field"><label for="r-from">${t.reports.from}</label><input id="r-from" name="from" type="date" value="${isoDay(period.from)}"></div>
  <div class="field"><label for="r-to">${t.reports.to}</label><input id="r-to" name="to" type="date" value="${isoDay(period.to)}"></div>
  <div class="field actions"><button type="submit">${t.findings.apply}</button></div>
</form>
<ul class="choices reports">
  <li><a href="${base}/summary${q}">${t.reports.summaryHtml}</a></li>
  <li>${pdfAvailable ? h`<a href="${base}/summary.pdf${q}" download>${t.reports.summaryPdf}</a>` : h`<span>${t.reports.summaryPdf}</span> <span class="muted">${t.reports.pdfUnavailable}</span>`}</li>
  <li><a href="${base}/auditor.json${q}" download>${t.reports.auditorJson}</a></li>
  <li><a href="${base}/auditor.csv${q}" download>${t.reports.auditorCsv}</a></li>
  <li><a href="${base}/frameworks?lang=${t.lang}">${t.reports.frameworks}</a></li>
</ul>`;
}

function coverageBadge(c: Coverage, t: Texts): Html {
  const [cls, mark, text] = c === 'automated' ? ['pass', '⚙', t.frameworks.automated] : c === 'manual' ? ['waived', '✎', t.frameworks.manual] : ['not_applicable', '–', t.frameworks.notCovered];
  return h`<span class="badge status-${cls}"><span aria-hidden="true">${mark}</span> ${text}</span>`;
}

const RESULT_LOOK: Record<RequirementResult, [string, string, keyof Texts['frameworks']]> = {
  met: ['pass', '✓', 'met'],
  'not-met': ['fail', '✗', 'notMet'],
  unknown: ['unknown', '?', 'unknown'],
  partial: ['waived', '◐', 'partial'],
  'not-assessed': ['not_applicable', '–', 'notAssessed'],
};

function resultBadge(r: RequirementResult, t: Texts): Html {
  const [cls, mark, key] = RESULT_LOOK[r];
  return h`<span class="badge status-${cls}"><span aria-hidden="true">${mark}</span> ${t.frameworks[key] as string}</span>`;
}

const OUTCOME_CLASS: Record<string, string> = { pass: 'pass', fail: 'fail', unknown: 'unknown', 'no-data': 'not_applicable' };

function linkedRules(r: RequirementStatus, t: Texts): Html {
  if (r.rules.length === 0) return h`<span class="muted">–</span>`;
  return h`<ul class="linked-rules">${r.rules.map(
    (l) => h`<li data-rule="${l.id}"><a href="/regler/${encodeURIComponent(l.id)}?lang=${t.lang}"><code>${l.id}</code></a>${l.manual ? h` <span class="muted">(${t.frameworks.manualMark})</span>` : ''} <span class="badge status-${OUTCOME_CLASS[l.outcome] ?? 'unknown'}">${t.frameworks.outcome[l.outcome] ?? l.outcome}</span> <span class="muted">${l.reason}</span></li>`,
  )}</ul>`;
}

export function frameworksPage(t: Texts, assessed: readonly AssessedFramework[]): Html {
  const lang = t.lang;
  return h`<h1>${t.frameworks.title}</h1><p class="lead">${t.frameworks.lead}</p>
<nav aria-label="${t.frameworks.title}"><ul class="inline-list">${assessed.map(({ framework }) => h`<li><a href="#fw-${framework.id}">${framework.name[lang]}</a></li>`)}</ul></nav>
${assessed.map(({ framework, requirements, summary, unitSummary }) => h`<section aria-labelledby="fw-${framework.id}" data-framework="${framework.id}">
<h2 id="fw-${framework.id}">${framework.name[lang]}</h2>
<p class="muted">${t.frameworks.version}: ${framework.version} · ${t.frameworks.source}: <a href="${framework.source}" rel="noreferrer">${framework.source}</a></p>
<p data-summary>${t.frameworks.summary(summary)}</p>
${unitSummary ? h`<p data-unit-summary>${t.frameworks.unitSummary(unitSummary)}</p>` : ''}
${framework.complete ? '' : h`<p class="notice">${t.frameworks.incompleteList}</p>`}
<details><summary>${t.frameworks.frameworkNote}</summary><p>${framework.note[lang]}</p></details>
<div class="table-wrap"><table class="framework">
<thead><tr><th scope="col">${t.frameworks.requirement}</th><th scope="col">${t.frameworks.coverage}</th><th scope="col">${t.frameworks.result}</th><th scope="col">${t.frameworks.rules}</th></tr></thead>
<tbody>${requirements.length === 0
    ? emptyRow(4, '–')
    : requirements.map(
        (r) => h`<tr data-requirement="${r.id}" data-coverage="${r.coverage}" data-result="${r.result}" class="depth-${r.depth}"><th scope="row"><span class="goal-id">${r.id}</span> ${r.title[lang]}${r.level === 'hög' ? h` <span class="badge status-unknown">${t.frameworks.levels.hög}</span>` : ''}${r.inferred ? h` <span class="muted">${t.frameworks.inferred}</span>` : ''}</th><td>${coverageBadge(r.coverage, t)}</td><td>${resultBadge(r.result, t)}${r.reason ? h`<div class="muted">${r.reason}</div>` : ''}</td><td>${linkedRules(r, t)}</td></tr>`,
      )}</tbody></table></div></section>`)}`;
}
