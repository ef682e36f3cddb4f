import { GOALS } from '../../../rules/goals.js';
import type { AnyRule } from '../../../rules/engine/index.js';
import type { PresentedFinding } from '../../services/findings.js';
import { formatDate, formatDateTime, formatValue } from '../format.js';
import { h, type Html } from '../html.js';
import type { Texts } from '../i18n/index.js';
import { severityBadge, statusBadge } from './parts.js';

interface EvidenceItem {
  path?: unknown;
  value?: unknown;
  source?: unknown;
  collectedAt?: unknown;
  status?: unknown;
}

function evidenceTable(evidence: readonly unknown[], t: Texts): Html {
  if (evidence.length === 0) return h`<p>${t.finding.noEvidence}</p>`;
  const items = evidence.map((e) => (e && typeof e === 'object' ? (e as EvidenceItem) : { value: e }));
  return h`<div class="table-wrap"><table class="evidence">
<thead><tr><th scope="col">${t.finding.evidencePath}</th><th scope="col">${t.finding.evidenceValue}</th><th scope="col">${t.finding.evidenceStatus}</th><th scope="col">${t.finding.evidenceSource}</th><th scope="col">${t.finding.evidenceWhen}</th></tr></thead>
<tbody>${items.map(
    (e) => h`<tr><th scope="row"><code>${formatValue(e.path)}</code></th><td><code class="value">${formatValue(e.value)}</code></td><td>${formatValue(e.status)}</td><td>${formatValue(e.source)}</td><td>${typeof e.collectedAt === 'string' ? formatDateTime(e.collectedAt, t) : '–'}</td></tr>`,
  )}</tbody></table></div>`;
}

/** Remediation text keeps its line breaks: commands are shown as written. */
function preformatted(text: string): Html {
  return h`<div class="prose">${text.split(/\n{2,}/).map((para) => h`<p>${para}</p>`)}</div>`;
}

export function findingPage(input: {
  t: Texts;
  tenantId: string;
  finding: PresentedFinding;
  rule: AnyRule | undefined;
  history: { from_status: string | null; to_status: string; at: string; kind: string | null }[];
  canWaive: boolean;
  csrfToken: string | null;
  notice?: string;
  today: Date;
}): Html {
  const { t, finding: f, rule } = input;
  const lang = t.lang;
  const title = rule?.title[lang] ?? f.ruleId;
  const defaultExpiry = new Date(input.today.getTime() + 90 * 86_400_000).toISOString().slice(0, 10);
  const maxExpiry = new Date(input.today.getTime() + 365 * 86_400_000).toISOString().slice(0, 10);
  const minExpiry = new Date(input.today.getTime() + 86_400_000).toISOString().slice(0, 10);
  return h`<p class="breadcrumb"><a href="/t/${input.tenantId}/findings">${t.nav.findings}</a></p>
<h1>${title} <span class="rule-id">${f.ruleId}</span></h1>
${input.notice ? h`<p class="notice" role="status">${input.notice}</p>` : ''}
<dl class="facts">
  <dt>${t.finding.target}</dt><dd>${f.targetName} <span class="muted">(${t.targetKind[f.targetKind] ?? f.targetKind}, ${f.targetId})</span></dd>
  <dt>${t.finding.status}</dt><dd data-status="${f.effectiveStatus}">${statusBadge(f.effectiveStatus, t)} ${severityBadge(f.severity, t)}</dd>
  <dt>${t.finding.lifecycle}</dt><dd>${t.lifecycle[f.lifecycle] ?? f.lifecycle}</dd>
  <dt>${t.finding.goals}</dt><dd>${f.goals.map((g) => GOALS.find((x) => x.id === g)?.title[lang] ?? g).join('; ') || '–'}</dd>
  <dt>${t.finding.firstSeen}</dt><dd>${formatDateTime(f.firstSeenAt, t)}</dd>
  <dt>${t.finding.since}</dt><dd>${formatDateTime(f.statusSince, t)}</dd>
  <dt>${t.finding.evaluated}</dt><dd>${formatDateTime(f.lastEvaluatedAt, t)}</dd>
  ${f.deadline ? h`<dt>${t.finding.deadline}</dt><dd>${formatDate(f.deadline, t)}${f.overdue ? h` <span class="overdue">(${t.findings.overdue})</span>` : ''}</dd>` : ''}
  ${f.reason ? h`<dt>${t.finding.reason}</dt><dd>${f.reason}</dd>` : ''}
  ${f.subjects.length > 0 ? h`<dt>${t.finding.subjects}</dt><dd>${f.subjects.join(', ')}</dd>` : ''}
</dl>
<section aria-labelledby="ev-h"><h2 id="ev-h">${t.finding.evidenceHeading}</h2>${evidenceTable(f.evidence, t)}</section>
${rule ? h`<section aria-labelledby="why-h"><h2 id="why-h">${t.finding.rationaleHeading}</h2>${preformatted(rule.rationale[lang])}</section>
<section aria-labelledby="fix-h"><h2 id="fix-h">${t.finding.remediationHeading}</h2><pre class="remediation">${rule.remediation[lang]}</pre></section>` : ''}
<section aria-labelledby="hist-h"><h2 id="hist-h">${t.finding.historyHeading}</h2>
${input.history.length === 0
    ? h`<p>${t.finding.historyEmpty}</p>`
    : h`<div class="table-wrap"><table><thead><tr><th scope="col">${t.finding.historyWhen}</th><th scope="col">${t.finding.historyFrom}</th><th scope="col">${t.finding.historyTo}</th></tr></thead><tbody>${input.history.map(
        (e) => h`<tr><th scope="row">${formatDateTime(e.at, t)}</th><td>${e.from_status ? statusBadge(e.from_status, t) : '–'}</td><td>${statusBadge(e.to_status, t)}${e.kind ? h` <span class="muted">${t.transition[e.kind] ?? e.kind}</span>` : ''}</td></tr>`,
      )}</tbody></table></div>`}
</section>
${f.status === 'fail'
    ? h`<section aria-labelledby="waiver-h"><h2 id="waiver-h">${t.finding.waiverHeading}</h2>
${f.waiver
  ? h`<p>${t.finding.waiverActive(f.waiver.riskOwner, formatDate(f.waiver.expiresAt, t))}</p><p class="muted">${f.waiver.reason}</p>`
  : input.canWaive
    ? h`<p>${t.finding.waiverIntro}</p>
<form method="post" action="/t/${input.tenantId}/waivers" class="waiver-form">
  <input type="hidden" name="_csrf" value="${input.csrfToken ?? ''}">
  <input type="hidden" name="ruleId" value="${f.ruleId}">
  <input type="hidden" name="targetKind" value="${f.targetKind}">
  <input type="hidden" name="targetId" value="${f.targetId}">
  <fieldset><legend>${t.finding.waiverScope}</legend>
    <label><input type="radio" name="scope" value="target" checked> ${t.finding.waiverScopeTarget}</label>
    <label><input type="radio" name="scope" value="rule"> ${t.finding.waiverScopeRule}</label>
  </fieldset>
  <div class="field"><label for="w-reason">${t.finding.waiverReason}</label><textarea id="w-reason" name="reason" required minlength="10" maxlength="4000" rows="3"></textarea></div>
  <div class="field"><label for="w-owner">${t.finding.waiverOwner}</label><input id="w-owner" name="riskOwner" required minlength="2" maxlength="256"></div>
  <div class="field"><label for="w-exp">${t.finding.waiverExpires}</label><input id="w-exp" name="expiresAt" type="date" required value="${defaultExpiry}" min="${minExpiry}" max="${maxExpiry}"></div>
  <button type="submit">${t.finding.waiverSubmit}</button>
</form>`
    : h`<p>${t.finding.waiverNotAllowed}</p>`}
</section>`
    : ''}`;
}
