import { ROLE_LABELS, type Grant } from '../../auth/roles.js';
import { DEFAULT_DEADLINE_DAYS } from '../../lifecycle/view.js';
import type { RuleSet } from '../../../rules/engine/index.js';
import { formatDate, formatDateTime } from '../format.js';
import { h, type Html } from '../html.js';
import type { Texts } from '../i18n/index.js';
import { ruleTitle } from '../rules.js';
import { emptyRow } from './parts.js';

export function agentsPage(
  t: Texts,
  agents: readonly { id: string; hostname: string; version: string; enrolledAt: string; lastSeenAt: string | null; revoked: boolean }[],
  silentAfterHours: number,
  now: Date,
): Html {
  const health = (a: (typeof agents)[number]): Html => {
    if (a.revoked) return h`<span class="badge status-not_applicable"><span aria-hidden="true">–</span> ${t.agents.revoked}</span>`;
    if (!a.lastSeenAt) return h`<span class="badge status-unknown"><span aria-hidden="true">?</span> ${t.agents.never}</span>`;
    const silent = now.getTime() - Date.parse(a.lastSeenAt) > silentAfterHours * 3_600_000;
    return silent
      ? h`<span class="badge status-fail"><span aria-hidden="true">✗</span> ${t.agents.silent(silentAfterHours)}</span>`
      : h`<span class="badge status-pass"><span aria-hidden="true">✓</span> ${t.agents.healthy}</span>`;
  };
  return h`<h1>${t.agents.title}</h1>
<div class="table-wrap"><table>
<thead><tr><th scope="col">${t.agents.hostname}</th><th scope="col">${t.agents.health}</th><th scope="col">${t.agents.lastSeen}</th><th scope="col">${t.agents.version}</th><th scope="col">${t.agents.enrolled}</th></tr></thead>
<tbody>${agents.length === 0
    ? emptyRow(5, t.agents.none)
    : agents.map(
        (a) => h`<tr><th scope="row">${a.hostname} <span class="muted"><code>${a.id}</code></span></th><td>${health(a)}</td><td>${formatDateTime(a.lastSeenAt, t)}</td><td>${a.version}</td><td>${formatDate(a.enrolledAt, t)}</td></tr>`,
      )}</tbody></table></div>`;
}

export interface WaiverView {
  id: string;
  ruleId: string;
  targetKind: string;
  targetId: string;
  reason: string;
  riskOwner: string;
  approvedBy: string;
  expiresAt: string;
  reviewDue: boolean;
  state: string;
}

export function waiverScope(w: WaiverView, t: Texts): string {
  if (w.targetKind === '*') return t.waivers.allTargets;
  return w.targetId === '*' ? `${t.targetKind[w.targetKind] ?? w.targetKind}: ${t.waivers.allTargets}` : `${t.targetKind[w.targetKind] ?? w.targetKind}: ${w.targetId}`;
}

/** A revoke button for an active waiver, when the caller may change waivers. */
export interface WaiverActions {
  tenantId: string;
  csrfToken: string | null;
}

function revokeForm(t: Texts, w: WaiverView, actions: WaiverActions | undefined): Html | string {
  if (!actions || w.state !== 'active') return '';
  return h`<form method="post" action="/t/${actions.tenantId}/waivers/${w.id}/revoke" class="inline"><input type="hidden" name="_csrf" value="${actions.csrfToken ?? ''}"><button type="submit" class="small">${t.waivers.revoke}<span class="visually-hidden">: ${w.ruleId} ${w.targetId}</span></button></form>`;
}

export function waiversTable(t: Texts, waivers: readonly WaiverView[], rules: RuleSet, actions?: WaiverActions): Html {
  return h`<div class="table-wrap"><table class="waivers">
<thead><tr><th scope="col">${t.waivers.rule}</th><th scope="col">${t.waivers.scope}</th><th scope="col">${t.waivers.reason}</th><th scope="col">${t.waivers.owner}</th><th scope="col">${t.waivers.expires}</th><th scope="col">${t.waivers.state}</th></tr></thead>
<tbody>${waivers.length === 0
    ? emptyRow(6, t.waivers.none)
    : waivers.map(
        (w) => h`<tr data-waiver="${w.id}"><th scope="row">${ruleTitle(rules, w.ruleId, t.lang)} <span class="rule-id">${w.ruleId}</span></th><td>${waiverScope(w, t)}</td><td>${w.reason}</td><td>${w.riskOwner}<br><span class="muted">${t.waivers.approvedBy}: ${w.approvedBy}</span></td><td>${formatDate(w.expiresAt, t)}</td><td>${t.waivers.states[w.state] ?? w.state}${w.reviewDue ? h` <span class="overdue">(${t.waivers.reviewDue})</span>` : ''} ${revokeForm(t, w, actions)}</td></tr>`,
      )}</tbody></table></div>`;
}

export function waiversPage(t: Texts, waivers: readonly WaiverView[], rules: RuleSet, actions: WaiverActions | undefined, notice?: string): Html {
  return h`<h1>${t.waivers.title}</h1>${notice ? h`<p class="notice" role="status">${notice}</p>` : ''}${waiversTable(t, waivers, rules, actions)}`;
}

export function auditPage(t: Texts, tenantId: string, entries: readonly { id: number; actor: string; action: string; details: Record<string, unknown>; at: string }[]): Html {
  return h`<h1>${t.audit.title}</h1><p class="lead">${t.audit.lead}</p>
<p><a href="/api/v1/tenants/${tenantId}/audit?format=csv" download>${t.audit.csv}</a></p>
<div class="table-wrap"><table>
<thead><tr><th scope="col">${t.audit.when}</th><th scope="col">${t.audit.actor}</th><th scope="col">${t.audit.action}</th><th scope="col">${t.audit.details}</th></tr></thead>
<tbody>${entries.length === 0
    ? emptyRow(4, t.audit.none)
    : entries.map(
        (e) => h`<tr><th scope="row">${formatDateTime(e.at, t)}</th><td>${e.actor}</td><td><code>${e.action}</code></td><td><code class="value">${Object.entries(e.details).map(([k, v]) => `${k}: ${typeof v === 'string' ? v : JSON.stringify(v)}`).join(' · ')}</code></td></tr>`,
      )}</tbody></table></div>`;
}

export function settingsPage(t: Texts, url: string, user: { name: string; grants: readonly Grant[] }, silentAfterHours: number, version: string): Html {
  const path = url.split('?')[0] ?? '/';
  return h`<h1>${t.settings.title}</h1>
<section aria-labelledby="you-h"><h2 id="you-h">${t.settings.you}</h2>
<dl class="facts"><dt>${t.login.username}</dt><dd>${user.name}</dd>
<dt>${t.settings.roles}</dt><dd><ul>${user.grants.map((g) => h`<li>${ROLE_LABELS[g.role][t.lang]} (${g.scopeKind === 'global' ? '*' : g.scopeId})</li>`)}</ul></dd></dl></section>
<section aria-labelledby="lang-h"><h2 id="lang-h">${t.settings.language}</h2><p>${t.settings.languageHelp}</p>
<form method="get" action="${path}"><fieldset><legend class="visually-hidden">${t.settings.language}</legend>
<label><input type="radio" name="lang" value="sv"${t.lang === 'sv' ? h` checked` : ''}> Svenska</label>
<label><input type="radio" name="lang" value="en"${t.lang === 'en' ? h` checked` : ''}> English</label></fieldset>
<button type="submit">OK</button></form></section>
<section aria-labelledby="dl-h"><h2 id="dl-h">${t.settings.deadlines}</h2>
<table><tbody>${Object.entries(DEFAULT_DEADLINE_DAYS).map(([sev, days]) => h`<tr><th scope="row">${t.severity[sev] ?? sev}</th><td>${t.settings.days(days)}</td></tr>`)}
<tr><th scope="row">${t.settings.silentAfter}</th><td>${t.settings.hours(silentAfterHours)}</td></tr>
<tr><th scope="row">${t.settings.version}</th><td>${version}</td></tr></tbody></table></section>`;
}
