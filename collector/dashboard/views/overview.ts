import { GOALS } from '../../../rules/goals.js';
import { bitsChapters } from '../../../rules/bits.js';
import type { RuleSet } from '../../../rules/engine/index.js';
import { progressBar, trendChart } from '../charts.js';
import { formatPercent } from '../format.js';
import { h, type Html } from '../html.js';
import type { Texts } from '../i18n/index.js';
import type { Posture, Progress } from '../posture.js';
import type { TrendPoint } from '../queries.js';
import type { IdentityNumbers } from '../identity.js';
import { IDENTITY_TEXTS } from '../i18n/identity.js';
import { ruleTitle } from '../rules.js';
import { emptyRow, reachedBadge, severityBadge } from './parts.js';

export function progressText(p: Progress, t: Texts): string {
  if (p.percent === null) return t.overview.noData;
  return t.overview.progressText(formatPercent(p.percent, t), `${p.target.op === '>' ? '> ' : ''}${formatPercent(p.target.percent, t)}`);
}

/** One table row per goal or chapter: bar, words, counts and whether the target is reached. */
export function progressRows(items: readonly { progress: Progress; label: Html | string; href?: string }[], t: Texts): Html {
  return h`${items.map(({ progress: p, label, href }) => {
    const text = progressText(p, t);
    return h`<tr data-goal="${p.id}">
  <th scope="row">${href ? h`<a href="${href}">${label}</a>` : label}</th>
  <td class="progress-cell">${progressBar(p.percent, p.target.percent, t.chart.progressLabel(p.percent === null ? t.overview.noData : formatPercent(p.percent, t), formatPercent(p.target.percent, t)))}
    <span class="progress-text" data-percent="${p.percent ?? ''}">${text}</span></td>
  <td class="num">${p.pass} / ${p.fail + p.waived} / ${p.unknown}</td>
  <td>${reachedBadge(p.reached, t)}</td>
</tr>`;
  })}`;
}

export function goalTable(posture: Posture, t: Texts, findingsHref: (goal: string) => string, withBits: boolean): Html {
  const lang = t.lang;
  const goalRows = GOALS.map((g) => ({ progress: posture.goals.find((p) => p.id === g.id)!, label: h`<span class="goal-id">${g.id}</span> ${g.title[lang]}`, href: findingsHref(g.id) }));
  const head = h`<thead><tr><th scope="col">${t.overview.goal}</th><th scope="col">${t.overview.progress}</th><th scope="col">${t.overview.counts}</th><th scope="col">${t.overview.target}</th></tr></thead>`;
  return h`<section aria-labelledby="goals-h">
<h2 id="goals-h">${t.overview.goalsHeading}</h2>
<div class="table-wrap"><table class="goals">${head}<tbody>${progressRows(goalRows, t)}</tbody></table></div>
</section>
${withBits
  ? h`<section aria-labelledby="bits-h">
<h2 id="bits-h">${t.overview.bitsHeading}</h2>
<div class="table-wrap"><table class="goals">${head}<tbody>${progressRows(
      posture.bits.map((p) => ({ progress: p, label: h`<span class="goal-id">${p.id}</span> ${bitsChapters().find((c) => c.id === p.id)?.title[lang] ?? ''}` })),
      t,
    )}</tbody></table></div>
</section>`
  : ''}`;
}

/** SSO and 2FA with the people behind the percentages (GOALS.md SSO, 2FA). */
function identitySection(numbers: IdentityNumbers, t: Texts): Html {
  const w = IDENTITY_TEXTS[t.lang];
  const { sso, mfa, incomplete } = numbers;
  const known = incomplete.length === 0;
  const list = (label: string, names: string[]) => (names.length === 0 ? '' : h`<p>${label}: ${names.join(', ')}</p>`);
  const body =
    !sso && !mfa
      ? h`<p>${w.none}</p>`
      : h`${sso && known ? h`<p data-coverage="sso" data-numerator="${sso.numerator}" data-denominator="${sso.denominator}">${w.sso(sso.numerator, sso.denominator, formatPercent(sso.percent, t), formatPercent(sso.minPercent ?? 50, t))}</p>${list(w.notSso, sso.notSso)}` : ''}
${mfa && known ? h`<p data-coverage="mfa" data-numerator="${mfa.sensitiveUsers - mfa.withoutMfa}" data-denominator="${mfa.sensitiveUsers}">${w.mfa(mfa.sensitiveUsers - mfa.withoutMfa, mfa.sensitiveUsers, formatPercent(mfa.percent, t))}</p>${list(w.withoutMfa, mfa.names)}` : ''}
${known ? '' : h`<p>${w.incomplete}</p><ul>${incomplete.map((r) => h`<li>${r}</li>`)}</ul>`}`;
  return h`<section aria-labelledby="identity-h">
<h2 id="identity-h">${w.heading}</h2>
<p class="lead">${w.lead}</p>
${body}
</section>`;
}

export function overviewPage(input: { t: Texts; tenant: { id: string; name: string }; posture: Posture; trend: TrendPoint[]; rules: RuleSet; identity?: IdentityNumbers }): Html {
  const { t, tenant, posture, trend, rules } = input;
  const base = `/t/${encodeURIComponent(tenant.id)}`;
  const s = posture.score;
  const judged = s.withoutWaivers.pass + s.withoutWaivers.fail + s.withoutWaivers.unknown;
  const first = trend[0]?.failing ?? 0;
  const last = trend[trend.length - 1]?.failing ?? 0;
  return h`<h1>${t.overview.title(tenant.name)}</h1>
<p class="lead">${t.overview.lead}</p>
<section aria-labelledby="score-h" class="cards">
  <h2 id="score-h" class="visually-hidden">${t.overview.scoreHeading}</h2>
  <div class="card"><p class="card-label">${t.overview.scoreWithout}</p><p class="big" data-score="withoutWaivers">${formatPercent(s.withoutWaivers.percent, t)}</p><p>${t.overview.scoreExplain(s.withoutWaivers.pass, judged)}</p></div>
  <div class="card"><p class="card-label">${t.overview.scoreWith}</p><p class="big" data-score="withWaivers">${formatPercent(s.withWaivers.percent, t)}</p><p><a href="${base}/waivers">${t.nav.waivers}</a>: ${s.withWaivers.waived}</p></div>
  <div class="card"><p class="card-label">${t.overview.failingToFix}</p><p class="big" data-count="fail">${s.withWaivers.fail}</p><p>${t.status.unknown}: <span data-count="unknown">${s.withWaivers.unknown}</span></p></div>
</section>
${goalTable(posture, t, (goal) => `${base}/findings?goal=${encodeURIComponent(goal)}`, true)}
${input.identity ? identitySection(input.identity, t) : ''}
<section aria-labelledby="trend-h">
<h2 id="trend-h">${t.overview.trendHeading}</h2>
${trend.length === 0 ? h`<p>${t.overview.trendEmpty}</p>` : h`<figure class="chart">${trendChart(trend, t.chart.trendLabel)}<figcaption>${t.overview.trendDesc(trend.length, first, last)}</figcaption></figure>`}
</section>
<section aria-labelledby="risks-h">
<h2 id="risks-h">${t.overview.topRisksHeading}</h2>
<div class="table-wrap"><table>
<thead><tr><th scope="col">${t.overview.rule}</th><th scope="col">${t.findings.colSeverity}</th><th scope="col">${t.overview.affected}</th></tr></thead>
<tbody>${posture.topRisks.length === 0
  ? emptyRow(3, t.overview.topRisksEmpty)
  : posture.topRisks.slice(0, 10).map(
      (r) => h`<tr><th scope="row"><a href="${base}/findings?rule=${encodeURIComponent(r.ruleId)}&amp;status=fail">${ruleTitle(rules, r.ruleId, t.lang)}</a> <span class="rule-id">${r.ruleId}</span></th><td>${severityBadge(r.severity, t)}</td><td class="num">${r.failing}</td></tr>`,
    )}</tbody>
</table></div>
</section>`;
}
