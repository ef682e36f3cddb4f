import { GOALS } from '../../../rules/goals.js';
import { progressBar } from '../charts.js';
import { formatPercent } from '../format.js';
import { h, type Html } from '../html.js';
import type { Texts } from '../i18n/index.js';
import type { Posture } from '../posture.js';
import { progressText } from './overview.js';

export interface MemberPosture {
  tenant: { id: string; name: string };
  posture: Posture;
}

/** Goals down, member kommuner across; in each row the lowest measured share is marked weakest. */
export function federationPage(t: Texts, federation: { id: string; name: string }, members: readonly MemberPosture[]): Html {
  const lang = t.lang;
  return h`<h1>${t.federation.title(federation.name)}</h1>
<p class="lead">${t.federation.lead}</p>
<div class="table-wrap"><table class="federation">
<thead><tr><th scope="col">${t.federation.goal}</th>${members.map((m) => h`<th scope="col"><a href="/t/${encodeURIComponent(m.tenant.id)}">${m.tenant.name}</a><br><span class="muted">${formatPercent(m.posture.score.withoutWaivers.percent, t)}</span></th>`)}</tr></thead>
<tbody>${GOALS.map((goal) => {
    const cells = members.map((m) => m.posture.goals.find((p) => p.id === goal.id)!);
    const measured = cells.filter((c) => c.percent !== null).map((c) => c.percent as number);
    const lowest = measured.length > 1 ? Math.min(...measured) : null;
    return h`<tr data-goal="${goal.id}"><th scope="row"><span class="goal-id">${goal.id}</span> ${goal.title[lang]}</th>${cells.map((c) => {
      const weakest = lowest !== null && c.percent === lowest && measured.some((v) => v !== lowest);
      return h`<td class="${weakest ? 'weakest' : ''}">${progressBar(c.percent, c.target.percent, t.chart.progressLabel(c.percent === null ? t.overview.noData : formatPercent(c.percent, t), formatPercent(c.target.percent, t)))}<br>${progressText(c, t)}${weakest ? h` <strong class="weakest-mark"><span aria-hidden="true">▼</span> ${t.federation.weakest}</strong>` : ''}</td>`;
    })}</tr>`;
  })}</tbody></table></div>`;
}
