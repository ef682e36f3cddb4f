import { GOALS } from '../../rules/goals.js';
import type { RuleSet } from '../../rules/engine/index.js';
import { trendChart } from '../dashboard/charts.js';
import { formatDate, formatDateTime, formatPercent } from '../dashboard/format.js';
import { h, Html } from '../dashboard/html.js';
import type { Texts } from '../dashboard/i18n/index.js';
import type { Posture } from '../dashboard/posture.js';
import type { TrendPoint } from '../dashboard/queries.js';
import { ruleTitle } from '../dashboard/rules.js';
import { progressRows } from '../dashboard/views/overview.js';
import { severityBadge } from '../dashboard/views/parts.js';
import { waiverScope, type WaiverView } from '../dashboard/views/admin.js';
import { isoDay, type Period } from './period.js';

export interface SummaryInput {
  t: Texts;
  tenant: { id: string; name: string };
  period: Period;
  posture: Posture;
  trend: TrendPoint[];
  waivers: WaiverView[];
  rules: RuleSet;
  now: Date;
  /** Inline stylesheet text for the PDF (rendered with no server to fetch from); else a link. */
  inlineCss?: string;
}

function firstParagraph(text: string): string {
  return text.split(/\n\s*\n/)[0]?.trim() ?? text;
}

/** The summary for the nämnd: a standalone document, also the source of the PDF. */
export function summaryDocument(input: SummaryInput): Html {
  const { t, tenant, posture, trend, rules } = input;
  const lang = t.lang;
  const s = posture.score.withoutWaivers;
  const judged = s.pass + s.fail + s.unknown;
  const first = trend[0]?.failing ?? 0;
  const last = trend[trend.length - 1]?.failing ?? 0;
  const allRows = GOALS.map((g) => ({ progress: posture.goals.find((p) => p.id === g.id)!, label: h`<span class="goal-id">${g.id}</span> ${g.title[lang]}`, title: g.title[lang] }));
  // The nämnd reads the measured goals; the rest are named in one sentence, never left out silently.
  const goalRows = allRows.filter((r) => r.progress.percent !== null);
  const unmeasured = allRows.filter((r) => r.progress.percent === null);
  const active = input.waivers.filter((w) => w.state === 'active');
  const actions = posture.topRisks.slice(0, 10);
  return h`<!doctype html>
<html lang="${lang}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${t.summary.title(tenant.name)}</title>
${input.inlineCss !== undefined ? h`<style>${new Html(input.inlineCss.replace(/<\/style/gi, ''))}</style>` : h`<link rel="stylesheet" href="/assets/basvakt.css">`}
</head>
<body class="report">
<main id="main">
<header class="report-header">
<p class="brand-line">basvakt</p>
<h1>${t.summary.title(tenant.name)}</h1>
<p class="subtitle">${t.summary.subtitle(formatDate(isoDay(input.period.from), t), formatDate(isoDay(input.period.to), t))}</p>
</header>
<section aria-labelledby="s-short"><h2 id="s-short">${t.summary.inShort}</h2>
<p class="big-sentence" data-percent="${s.percent ?? ''}">${t.summary.inShortText(formatPercent(s.percent, t), s.pass, judged, s.fail, s.unknown)}</p></section>
<section aria-labelledby="s-goals"><h2 id="s-goals">${t.summary.goalsHeading}</h2>
<table class="goals"><thead><tr><th scope="col">${t.overview.goal}</th><th scope="col">${t.overview.progress}</th><th scope="col">${t.overview.counts}</th><th scope="col">${t.overview.target}</th></tr></thead>
<tbody>${progressRows(goalRows, t)}</tbody></table>
${unmeasured.length > 0 ? h`<p class="unmeasured">${t.summary.unmeasured(unmeasured.map((r) => `${r.progress.id} (${r.title})`).join('; '))}</p>` : ''}</section>
<section aria-labelledby="s-trend"><h2 id="s-trend">${t.summary.trendHeading}</h2>
<p>${t.summary.trendText(first, last)}</p>
<figure class="chart">${trendChart(trend, t.chart.trendLabel)}</figure></section>
<section aria-labelledby="s-risks"><h2 id="s-risks">${t.summary.risksHeading}</h2>
${active.length === 0
    ? h`<p>${t.summary.risksNone}</p>`
    : h`<table><thead><tr><th scope="col">${t.waivers.rule}</th><th scope="col">${t.waivers.scope}</th><th scope="col">${t.waivers.reason}</th><th scope="col">${t.waivers.owner}</th><th scope="col">${t.waivers.expires}</th></tr></thead>
<tbody>${active.map((w) => h`<tr><th scope="row">${ruleTitle(rules, w.ruleId, lang)}</th><td>${waiverScope(w, t)}</td><td>${w.reason}</td><td>${w.riskOwner}</td><td>${formatDate(w.expiresAt, t)}</td></tr>`)}</tbody></table>`}
</section>
<section aria-labelledby="s-actions"><h2 id="s-actions">${t.summary.actionsHeading}</h2>
${actions.length === 0
    ? h`<p>${t.summary.actionsNone}</p>`
    : h`<ol class="actions">${actions.map((a) => {
        const rule = rules.allById.get(a.ruleId);
        return h`<li><p><strong>${rule?.title[lang] ?? a.ruleId}</strong> ${severityBadge(a.severity, t)} – ${t.summary.actionLine(a.failing)}</p>${rule ? h`<p class="muted">${firstParagraph(rule.remediation[lang])}</p>` : ''}</li>`;
      })}</ol>`}
</section>
<p class="generated">${t.summary.generated(formatDateTime(input.now.toISOString(), t))}</p>
</main>
</body></html>`;
}
