import type { Problem } from '../../../common/validation.js';
import type { RuleSet } from '../../../rules/engine/index.js';
import type { PresentedControl } from '../../services/attestations.js';
import { longestValidity, manualControl, manualControls } from '../../services/manual-controls.js';
import type { settingsOverview } from '../../services/tenant-settings.js';
import { formatDate, formatDateTime } from '../format.js';
import { h, type Html } from '../html.js';
import type { Texts } from '../i18n/index.js';
import { settingsTexts } from '../i18n/tenant-settings.js';
import { emptyRow, statusBadge } from './parts.js';

type Overview = Awaited<ReturnType<typeof settingsOverview>>;

/** A form the caller may submit: where it goes and the CSRF token it carries. */
export interface FormAccess {
  tenantId: string;
  csrfToken: string | null;
}

function ruleLabel(rules: RuleSet, id: string, t: Texts): string {
  const title = rules.byId.get(id)?.title[t.lang] ?? manualControls(rules).find((c) => c.id === id)?.title[t.lang];
  return title ? `${id} – ${title}` : id;
}

function settingText(s: Overview['settings'][number], t: Texts): Html {
  const params = Object.entries(s.params).map(([k, v]) => h`<code>${k}=${typeof v === 'string' ? v : JSON.stringify(v)}</code> `);
  return h`${s.disabled ? h`${statusBadge('disabled', t)} ` : ''}${params}`;
}

function problemList(problems: readonly Problem[]): Html {
  return h`<ul class="problems">${problems.map((p) => h`<li>${p.line !== undefined ? `rad ${p.line}: ` : ''}${p.path ? h`<code>${p.path}</code>: ` : ''}${p.message}</li>`)}</ul>`;
}

/** The rule settings and network model section of the settings page, with forms for those who may change them. */
export function ruleSettingsSection(t: Texts, overview: Overview, rules: RuleSet, form: FormAccess | undefined, notice?: string): Html {
  const st = settingsTexts(t.lang).settings;
  const allIds = [...rules.rules.map((r) => r.id), ...manualControls(rules).map((c) => c.id)].sort();
  const model = overview.networkModel;
  return h`<section aria-labelledby="rules-h" id="rule-settings"><h2 id="rules-h">${st.heading}</h2>
<p class="lead">${st.lead}</p>
${notice ? h`<p class="notice" role="status">${notice}</p>` : ''}
${overview.stale ? h`<p class="notice" role="status" data-stale="true">${st.stale}</p>` : ''}
<div class="table-wrap"><table class="rule-settings">
<thead><tr><th scope="col">${st.rule}</th><th scope="col">${st.setting}</th><th scope="col">${st.reason}</th><th scope="col">${st.changedBy}</th><th scope="col">${st.review}</th></tr></thead>
<tbody>${overview.settings.length === 0
    ? emptyRow(5, st.none)
    : overview.settings.map(
        (s) => h`<tr data-rule="${s.ruleId}"><th scope="row">${ruleLabel(rules, s.ruleId, t)}</th><td>${settingText(s, t)}</td><td>${s.reason}</td><td>${s.changedBy}<br><span class="muted">${formatDateTime(s.changedAt, t)}</span></td><td>${formatDate(s.reviewAt, t)}${s.reviewDue ? h` <span class="overdue">(${st.reviewDue})</span>` : ''}</td></tr>`,
      )}</tbody></table></div>
${overview.problems.length > 0 ? h`<h3>${st.problemsHeading}</h3><p>${st.problemsLead}</p>${problemList(overview.problems)}` : ''}
${form
    ? h`<form method="post" action="/t/${form.tenantId}/settings/rules" class="waiver-form"><h3>${st.formHeading}</h3>
  <input type="hidden" name="_csrf" value="${form.csrfToken ?? ''}">
  <div class="field"><label for="rs-rule">${st.formRule}</label><select id="rs-rule" name="ruleId" required>${allIds.map((id) => h`<option value="${id}">${ruleLabel(rules, id, t)}</option>`)}</select></div>
  <fieldset><legend>${st.formAction}</legend>
    <label><input type="radio" name="action" value="params" checked> ${st.actionParams}</label>
    <label><input type="radio" name="action" value="disable"> ${st.actionDisable}</label>
    <label><input type="radio" name="action" value="enable"> ${st.actionEnable}</label>
    <label><input type="radio" name="action" value="reset"> ${st.actionReset}</label>
  </fieldset>
  <div class="field"><label for="rs-params">${st.formParams}</label><textarea id="rs-params" name="params" rows="3" maxlength="20000"></textarea></div>
  <div class="field"><label for="rs-reason">${st.formReason}</label><textarea id="rs-reason" name="reason" required minlength="10" maxlength="4000" rows="3"></textarea></div>
  <div class="field"><label for="rs-review">${st.formReview}</label><input id="rs-review" name="reviewAt" type="date"></div>
  <button type="submit">${st.formSubmit}</button>
</form>`
    : h`<p class="muted">${st.notAllowed}</p>`}
</section>
<section aria-labelledby="model-h" id="network-model"><h2 id="model-h">${st.modelHeading}</h2>
<p>${st.modelLead}</p>
${model
    ? h`<p>${st.modelBy(model.changedBy, formatDateTime(model.changedAt, t))} ${model.reason}</p>
${model.params ? h`<p>${st.modelZones}: ${model.params.zones?.map((z) => h`<code>${z}</code> `)}</p>` : problemList(model.problems)}`
    : h`<p>${st.modelNone}</p>`}
${form
    ? h`<form method="post" action="/t/${form.tenantId}/settings/network-model" class="waiver-form">
  <input type="hidden" name="_csrf" value="${form.csrfToken ?? ''}">
  <div class="field"><label for="nm-yaml">${st.modelFile}</label><textarea id="nm-yaml" name="yaml" required rows="12" spellcheck="false">${model?.yaml ?? ''}</textarea></div>
  <div class="field"><label for="nm-reason">${st.formReason}</label><textarea id="nm-reason" name="reason" required minlength="10" maxlength="4000" rows="2"></textarea></div>
  <button type="submit">${st.modelSubmit}</button>
</form>`
    : ''}
</section>`;
}

const STATE_BADGE: Record<string, string> = { met: 'pass', not_met: 'fail', missing: 'unknown', expired: 'unknown' };
const STATE_MARK: Record<string, string> = { met: '✓', not_met: '✗', missing: '?', expired: '?' };

function attestForm(t: Texts, c: PresentedControl, rules: RuleSet, form: FormAccess, today: Date): Html {
  const ct = settingsTexts(t.lang).controls;
  const id = c.id.toLowerCase();
  const control = manualControl(rules, c.id);
  const max = (control ? longestValidity(control, today) : today).toISOString().slice(0, 10);
  const min = new Date(today.getTime() + 86_400_000).toISOString().slice(0, 10);
  return h`<form method="post" action="/t/${form.tenantId}/controls/${c.id}/attest" class="waiver-form"><h3>${ct.formHeading}<span class="visually-hidden">: ${c.id}</span></h3>
  <input type="hidden" name="_csrf" value="${form.csrfToken ?? ''}">
  <fieldset><legend>${ct.outcome}</legend>
    <label><input type="radio" name="outcome" value="met" checked> ${ct.outcomeMet}</label>
    <label><input type="radio" name="outcome" value="not_met"> ${ct.outcomeNotMet}</label>
  </fieldset>
  <div class="field"><label for="${id}-ev">${ct.formEvidence}</label><input id="${id}-ev" name="evidenceRef" required minlength="3" maxlength="500"></div>
  <div class="field"><label for="${id}-next">${ct.formNextReview}</label><input id="${id}-next" name="nextReviewAt" type="date" value="${max}" min="${min}" max="${max}"></div>
  <div class="field"><label for="${id}-reason">${ct.formReason}</label><textarea id="${id}-reason" name="reason" required minlength="10" maxlength="4000" rows="2"></textarea></div>
  <button type="submit">${ct.formSubmit}</button>
</form>`;
}

/** The manual controls: each question, where it stands, the current attestation, and a form to attest. */
export function controlsPage(t: Texts, controls: readonly PresentedControl[], rules: RuleSet, form: FormAccess | undefined, today: Date, notice?: string): Html {
  const ct = settingsTexts(t.lang).controls;
  return h`<h1>${ct.title}</h1><p class="lead">${ct.lead}</p>
${notice ? h`<p class="notice" role="status">${notice}</p>` : ''}
${controls.length === 0 ? h`<p>${ct.none}</p>` : ''}
${controls.map((c) => {
    const a = c.attestation;
    return h`<section class="control" data-control="${c.id}" data-state="${c.state}" aria-labelledby="c-${c.id}"><h2 id="c-${c.id}">${c.title[t.lang]} <span class="rule-id">${c.id}</span></h2>
<dl class="facts">
  <dt>${ct.state}</dt><dd><span class="badge status-${STATE_BADGE[c.state] ?? 'unknown'}"><span aria-hidden="true">${STATE_MARK[c.state] ?? '?'}</span> ${ct.states[c.state] ?? c.state}</span>${c.dueSoon ? h` <span class="overdue">(${ct.dueSoon})</span>` : ''}</dd>
  <dt>${ct.question}</dt><dd>${c.question[t.lang]}</dd>
  <dt>${ct.evidence}</dt><dd>${c.evidence[t.lang]} <span class="muted">${ct.interval(c.reviewMonths)}</span></dd>
  ${a
    ? h`<dt>${ct.evidenceRef}</dt><dd>${a.evidenceRef}<br><span class="muted">${ct.attestedBy(a.attestedBy, formatDateTime(a.attestedAt, t))}</span></dd>
  <dt>${ct.reason}</dt><dd>${a.reason}</dd>
  <dt>${ct.nextReview}</dt><dd>${formatDate(a.validUntil, t)}</dd>`
    : ''}
</dl>
${form ? attestForm(t, c, rules, form, today) : ''}
</section>`;
  })}
${form ? '' : h`<p class="muted">${ct.notAllowed}</p>`}`;
}

/** A refused change: what was wrong, line by line, and the way back. */
export function refusedPage(t: Texts, problems: readonly Problem[], back: string): Html {
  const st = settingsTexts(t.lang).settings;
  return h`<h1>${st.refused}</h1>${problemList(problems)}<p><a href="${back}">${st.back}</a></p>`;
}
