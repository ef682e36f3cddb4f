import { h, type Html } from '../dashboard/html.js';
import type { Texts } from '../dashboard/i18n/index.js';
import { emptyRow } from '../dashboard/views/parts.js';
import type { Coverage, Framework, RequirementResult, RequirementStatus } from './frameworks.js';
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

function resultBadge(r: RequirementResult, t: Texts): Html {
  const [cls, mark, text] =
    r === 'met' ? ['pass', '✓', t.frameworks.met] : r === 'not-met' ? ['fail', '✗', t.frameworks.notMet] : r === 'unknown' ? ['unknown', '?', t.frameworks.unknown] : ['not_applicable', '–', t.frameworks.notAssessed];
  return h`<span class="badge status-${cls}"><span aria-hidden="true">${mark}</span> ${text}</span>`;
}

export function frameworksPage(t: Texts, assessed: readonly { framework: Framework; requirements: RequirementStatus[] }[]): Html {
  const lang = t.lang;
  return h`<h1>${t.frameworks.title}</h1><p class="lead">${t.frameworks.lead}</p>
<nav aria-label="${t.frameworks.title}"><ul class="inline-list">${assessed.map(({ framework }) => h`<li><a href="#fw-${framework.id}">${framework.title[lang]}</a></li>`)}</ul></nav>
${assessed.map(({ framework, requirements }) => {
    const count = (c: Coverage) => requirements.filter((r) => r.coverage === c).length;
    const met = requirements.filter((r) => r.result === 'met').length;
    return h`<section aria-labelledby="fw-${framework.id}" data-framework="${framework.id}">
<h2 id="fw-${framework.id}">${framework.title[lang]}</h2>
<p data-summary>${t.frameworks.summary(count('automated'), count('manual'), count('not-covered'), requirements.length, met)}</p>
${framework.complete ? '' : h`<p class="notice">${t.frameworks.partialList}</p>`}
<div class="table-wrap"><table>
<thead><tr><th scope="col">${t.frameworks.requirement}</th><th scope="col">${t.frameworks.coverage}</th><th scope="col">${t.frameworks.result}</th><th scope="col">${t.frameworks.rules}</th></tr></thead>
<tbody>${requirements.length === 0
      ? emptyRow(4, '–')
      : requirements.map(
          (r) => h`<tr data-requirement="${r.id}" data-coverage="${r.coverage}" data-result="${r.result}"><th scope="row"><span class="goal-id">${r.id}</span> ${r.title[lang]}</th><td>${coverageBadge(r.coverage, t)}</td><td>${resultBadge(r.result, t)}</td><td>${r.ruleIds.map((id) => h`<code>${id}</code> `)}</td></tr>`,
        )}</tbody></table></div></section>`;
  })}`;
}
