import { formatDateTime, formatValue } from '../format.js';
import { h, type Html } from '../html.js';
import type { Texts } from '../i18n/index.js';
import { emptyRow } from './parts.js';

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

export interface TargetRow {
  kind: string;
  id: string;
  name: string;
  agentId: string;
  lastSeenAt: string;
  failing: number;
  silent: boolean;
}

export function targetsPage(t: Texts, tenantId: string, targets: readonly TargetRow[]): Html {
  return h`<h1>${t.targets.title}</h1><p class="lead">${t.targets.lead}</p>
<div class="table-wrap"><table>
<thead><tr><th scope="col">${t.targets.name}</th><th scope="col">${t.targets.kind}</th><th scope="col">${t.targets.failing}</th><th scope="col">${t.targets.lastSeen}</th><th scope="col">${t.targets.agent}</th></tr></thead>
<tbody>${targets.length === 0
    ? emptyRow(5, t.targets.none)
    : targets.map(
        (x) => h`<tr><th scope="row"><a href="/t/${tenantId}/targets/${encodeURIComponent(x.kind)}/${encodeURIComponent(x.id)}">${x.name}</a></th><td>${t.targetKind[x.kind] ?? x.kind}</td><td class="num"><a href="/t/${tenantId}/findings?kind=${encodeURIComponent(x.kind)}&amp;q=${encodeURIComponent(x.name)}&amp;status=fail">${x.failing}</a></td><td>${formatDateTime(x.lastSeenAt, t)}${x.silent ? h` <span class="badge status-unknown">${t.targets.silent}</span>` : ''}</td><td><code>${x.agentId}</code></td></tr>`,
      )}</tbody></table></div>`;
}

export function targetPage(
  t: Texts,
  tenantId: string,
  target: { kind: string; id: string; name: string; lastSeenAt: string },
  facts: readonly { name: string; status: string; source: string; collected_at: string; value: string | null; reason: string | null }[],
): Html {
  return h`<p class="breadcrumb"><a href="/t/${tenantId}/targets">${t.nav.targets}</a></p>
<h1>${target.name} <span class="muted">${t.targetKind[target.kind] ?? target.kind}</span></h1>
<p>${t.targets.lastSeen}: ${formatDateTime(target.lastSeenAt, t)} · <a href="/t/${tenantId}/findings?kind=${encodeURIComponent(target.kind)}&amp;q=${encodeURIComponent(target.name)}">${t.nav.findings}</a></p>
<div class="table-wrap"><table class="evidence">
<thead><tr><th scope="col">${t.targets.factName}</th><th scope="col">${t.targets.factStatus}</th><th scope="col">${t.targets.factValue}</th><th scope="col">${t.targets.factSource}</th></tr></thead>
<tbody>${facts.length === 0
    ? emptyRow(4, '–')
    : facts.map(
        (f) => h`<tr><th scope="row"><code>${f.name}</code></th><td>${f.status}</td><td><code class="value">${f.value === null ? (f.reason ?? '–') : formatValue(parseJson(f.value))}</code></td><td>${f.source}<br><span class="muted">${formatDateTime(f.collected_at, t)}</span></td></tr>`,
      )}</tbody></table></div>`;
}
