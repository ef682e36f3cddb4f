import { formatParam, proseBlocks, type CatalogueEntry, type RuleCatalogue } from '../../../rules/frameworks/catalogue.js';
import { h, type Html } from '../html.js';
import type { Texts } from '../i18n/index.js';
import { severityBadge } from './parts.js';

/** The Regelkatalog: every rule and manual control, grouped by goal, and one page per rule. */

export function ruleHref(id: string, t: Texts): string {
  return `/regler/${encodeURIComponent(id)}?lang=${t.lang}`;
}

/** Rule prose: indented lines (commands) as code, every other line a paragraph. */
export function proseHtml(text: string): Html {
  return h`${proseBlocks(text).map((b) => ('code' in b ? h`<pre><code>${b.code.join('\n')}</code></pre>` : h`<p>${b.paragraph}</p>`))}`;
}

function kindText(e: CatalogueEntry, t: Texts): string {
  return e.kind === 'manual' ? t.catalogue.manual : t.catalogue.automated;
}

export function cataloguePage(t: Texts, catalogue: RuleCatalogue): Html {
  const lang = t.lang;
  const groupId = (goal: string | null) => `goal-${(goal ?? 'none').toLowerCase()}`;
  const heading = (g: RuleCatalogue['groups'][number]) => (g.goal ? h`<span class="goal-id">${g.goal}</span> ${g.title[lang]}` : g.title[lang]);
  return h`<h1>${t.catalogue.title}</h1>
<p class="lead">${t.catalogue.lead}</p>
<p data-counts>${t.catalogue.counts(catalogue.automated, catalogue.manual)}</p>
<nav aria-label="${t.catalogue.contents}"><h2>${t.catalogue.contents}</h2><ul>${catalogue.groups.map((g) => h`<li><a href="#${groupId(g.goal)}">${heading(g)}</a> <span class="count">(${g.entries.length})</span></li>`)}</ul></nav>
${catalogue.groups.map(
  (g) => h`<section aria-labelledby="${groupId(g.goal)}" data-goal="${g.goal ?? ''}">
<h2 id="${groupId(g.goal)}">${heading(g)}</h2>
${g.alsoHere.length > 0 ? h`<p class="muted">${t.catalogue.alsoHere}: ${g.alsoHere.map((id) => h`<a href="${ruleHref(id, t)}"><code>${id}</code></a> `)}</p>` : ''}
${g.entries.length > 0
    ? h`<div class="table-wrap"><table>
<thead><tr><th scope="col">${t.catalogue.id}</th><th scope="col">${t.catalogue.whatChecked}</th><th scope="col">${t.catalogue.severity}</th><th scope="col">${t.catalogue.target}</th><th scope="col">${t.catalogue.kind}</th></tr></thead>
<tbody>${g.entries.map(
        (e) => h`<tr data-rule="${e.id}" data-kind="${e.kind}"><th scope="row"><a href="${ruleHref(e.id, t)}"><code>${e.id}</code></a></th><td>${e.title[lang]}</td><td>${severityBadge(e.severity, t)}</td><td>${t.targetKind[e.target] ?? e.target}</td><td>${kindText(e, t)}</td></tr>`,
      )}</tbody></table></div>`
    : ''}
</section>`,
)}`;
}

export function rulePage(t: Texts, e: CatalogueEntry): Html {
  const lang = t.lang;
  const c = t.catalogue;
  const facts = h`<dl class="facts">
<dt>${c.id}</dt><dd><code>${e.id}</code></dd>
<dt>${c.severity}</dt><dd>${severityBadge(e.severity, t)}</dd>
<dt>${c.target}</dt><dd>${t.targetKind[e.target] ?? e.target}</dd>
<dt>${c.kind}</dt><dd data-kind="${e.kind}">${kindText(e, t)}</dd>
<dt>${c.goals}</dt><dd>${e.goals.length > 0 ? e.goals.join(', ') : '–'}</dd>
<dt>${c.checks}</dt><dd>${e.checks.length > 0 ? e.checks.map((k) => h`<span class="goal-id">${k.id}</span> ${k.title?.[lang] ?? ''} `) : '–'}</dd>
<dt>${c.file}</dt><dd><code>${e.file}</code></dd>
</dl>`;
  const what = e.manual
    ? h`<p><strong>${c.question}:</strong> ${e.manual.question[lang]}</p><p><strong>${c.evidence}:</strong> ${e.manual.evidence[lang]}</p><p>${c.reviewMonths(e.manual.reviewMonths)}</p>`
    : h`${e.aggregateOf ? h`<p>${c.aggregateOf}: ${e.aggregateOf.map((id) => h`<a href="${ruleHref(id, t)}"><code>${id}</code></a> `)}</p>` : ''}
${e.facts.length > 0 ? h`<p>${c.facts}:</p><ul>${e.facts.map((f) => h`<li><code>${f.path}</code>${f.description ? h` – ${f.description[lang]}` : ''}</li>`)}</ul>` : ''}
<p>${c.condition}:</p><pre><code>${e.applies ? `// applies: ${e.applies.trim()}\n` : ''}${(e.condition ?? '').trim()}</code></pre>`;
  return h`<p><a href="/regler?lang=${lang}">${c.back}</a></p>
<h1><span class="goal-id">${e.id}</span> ${e.title[lang]}</h1>
${facts}
<section aria-labelledby="what-h"><h2 id="what-h">${c.whatChecked}</h2>${what}</section>
<section aria-labelledby="why-h"><h2 id="why-h">${c.rationale}</h2>${proseHtml(e.rationale[lang])}</section>
<section aria-labelledby="fix-h"><h2 id="fix-h">${c.remediation}</h2>${proseHtml(e.remediation[lang])}</section>
${e.params.length > 0
    ? h`<section aria-labelledby="params-h"><h2 id="params-h">${c.params}</h2><div class="table-wrap"><table><thead><tr><th scope="col">${c.param}</th><th scope="col">${c.value}</th></tr></thead><tbody>${e.params.map(
        (p) => h`<tr><th scope="row"><code>${p.name}</code></th><td>${formatParam(p.value)}</td></tr>`,
      )}</tbody></table></div></section>`
    : ''}
<section aria-labelledby="sources-h"><h2 id="sources-h">${c.sources}</h2><ul>${e.sources.map((s) => h`<li>${s}</li>`)}</ul></section>
<section aria-labelledby="fw-h"><h2 id="fw-h">${c.frameworks}</h2>
${e.frameworks.length === 0
    ? h`<p>${c.noFrameworks}</p>`
    : h`<div class="table-wrap"><table><thead><tr><th scope="col">${t.frameworks.requirement}</th><th scope="col">${c.reason}</th></tr></thead><tbody>${e.frameworks.map(
        (f) => h`<tr data-framework="${f.framework}" data-requirement="${f.requirement}"><th scope="row">${f.frameworkName[lang]} <span class="goal-id">${f.requirement}</span> ${f.requirementTitle[lang]}</th><td>${f.reason}</td></tr>`,
      )}</tbody></table></div>`}
</section>`;
}
