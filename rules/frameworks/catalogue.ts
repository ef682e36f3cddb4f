import { relative, sep } from 'node:path';
import { factSpec, type LocalizedText } from '../../report/facts/index.js';
import { PACKAGE_ROOT } from '../engine/paths.js';
import { isManualRule, type AnyRule, type RuleSet } from '../engine/types.js';
import type { ParamValue, Severity } from '../engine/schema.js';
import { GOALS } from '../goals.js';
import { linksOfRule, type FrameworkSet } from './index.js';
import { cell } from './render.js';
import { coverageTexts } from './texts.js';

/**
 * The rule catalogue: every rule and manual control of the packs, grouped by goal, with what
 * it checks, why, how to fix it, its thresholds and sources and the framework requirements it
 * is evidence for. One model for docs/regelkatalog.md and the dashboard's Regelkatalog page.
 */

type Lang = 'sv' | 'en';

export interface CatalogueFrameworkLink {
  framework: string;
  frameworkName: LocalizedText;
  requirement: string;
  requirementTitle: LocalizedText;
  reason: string;
}

export interface CatalogueEntry {
  id: string;
  title: LocalizedText;
  severity: Severity;
  target: string;
  kind: 'automated' | 'manual';
  goals: string[];
  checks: { id: string; title: LocalizedText | null }[];
  /** Facts an automated rule reads, with the catalogue's description. */
  facts: { path: string; description: LocalizedText | null }[];
  /** The CEL condition; for aggregate rules over `aggregateOf`. */
  condition?: string;
  applies?: string;
  aggregateOf?: string[];
  manual?: { question: LocalizedText; evidence: LocalizedText; reviewMonths: number };
  rationale: LocalizedText;
  remediation: LocalizedText;
  params: { name: string; value: ParamValue }[];
  sources: string[];
  frameworks: CatalogueFrameworkLink[];
  /** Relative to the package for bundled rules, absolute for a kommun's own. */
  file: string;
}

export interface CatalogueGroup {
  /** The goal id; null for rules without a 2007 goal (PAT-01/02). */
  goal: string | null;
  title: LocalizedText;
  /** Rules whose first goal this is. */
  entries: CatalogueEntry[];
  /** Rules that name this goal after another one. */
  alsoHere: string[];
}

export interface RuleCatalogue {
  groups: CatalogueGroup[];
  automated: number;
  manual: number;
}

function displayFile(file: string): string {
  const rel = relative(PACKAGE_ROOT, file);
  return rel.startsWith('..') ? file : rel.split(sep).join('/');
}

function entryOf(rule: AnyRule, frameworks: FrameworkSet): CatalogueEntry {
  const bits = frameworks.byId.get('bits');
  const base = {
    id: rule.id,
    title: rule.title,
    severity: rule.severity,
    target: rule.target,
    goals: rule.goals,
    checks: rule.checks.map((id) => ({ id, title: bits?.byId.get(id)?.title ?? null })),
    rationale: rule.rationale,
    remediation: rule.remediation,
    sources: rule.sources,
    frameworks: linksOfRule(frameworks, rule.id).map((l) => ({
      framework: l.framework.id,
      frameworkName: l.framework.name,
      requirement: l.requirement.id,
      requirementTitle: l.requirement.title,
      reason: l.reason,
    })),
    file: displayFile(rule.file),
  };
  if (isManualRule(rule)) return { ...base, kind: 'manual', facts: [], params: [], manual: rule.manual };
  return {
    ...base,
    kind: 'automated',
    facts: rule.facts.map((name) => ({ path: `${rule.target}.${name}`, description: factSpec(rule.target, name)?.description ?? null })),
    condition: rule.check,
    ...(rule.applies ? { applies: rule.applies } : {}),
    ...(rule.aggregate ? { aggregateOf: rule.aggregate.rules } : {}),
    params: Object.entries(rule.params).map(([name, value]) => ({ name, value })),
  };
}

/** The catalogue of a rule set, grouped by each rule's first goal in GOALS.md order. */
export function ruleCatalogue(ruleSet: Pick<RuleSet, 'all'>, frameworks: FrameworkSet): RuleCatalogue {
  const entries = ruleSet.all.map((r) => entryOf(r, frameworks));
  const groups: CatalogueGroup[] = GOALS.map((g) => ({
    goal: g.id,
    title: g.title,
    entries: entries.filter((e) => e.goals[0] === g.id),
    alsoHere: entries.filter((e) => e.goals.indexOf(g.id) > 0).map((e) => e.id),
  }));
  const none = entries.filter((e) => e.goals.length === 0 || !GOALS.some((g) => g.id === e.goals[0]));
  if (none.length > 0) groups.push({ goal: null, title: { sv: coverageTexts('sv').catalogue.noGoal, en: coverageTexts('en').catalogue.noGoal }, entries: none, alsoHere: [] });
  return {
    groups: groups.filter((g) => g.entries.length > 0 || g.alsoHere.length > 0),
    automated: entries.filter((e) => e.kind === 'automated').length,
    manual: entries.filter((e) => e.kind === 'manual').length,
  };
}

export function formatParam(value: ParamValue): string {
  if (Array.isArray(value)) return value.length === 0 ? '[]' : value.map(String).join(', ');
  return String(value);
}

/** The command that writes the catalogue file, named in its header. */
export function catalogueCommand(lang: Lang): string {
  return lang === 'sv' ? 'basvakt rules catalogue --output docs/regelkatalog.md' : 'basvakt rules catalogue --lang en --output docs/rule-catalogue.en.md';
}

export function coverageCommand(frameworkId: string, lang: Lang): string {
  return `basvakt rules coverage --framework ${frameworkId} --format markdown${lang === 'en' ? ' --lang en' : ''} --output docs/coverage/${frameworkId}${lang === 'en' ? '.en' : ''}.md`;
}

const anchor = (id: string) => `<a id="${id.toLowerCase()}"></a>`;

/** Text outside code: `<dator>` stays visible instead of becoming an HTML tag. */
const escapeText = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** Rule prose in blocks: runs of indented lines (commands) are code, every other line a paragraph. */
export function proseBlocks(text: string): ({ code: string[] } | { paragraph: string })[] {
  const blocks: ({ code: string[] } | { paragraph: string })[] = [];
  let code: string[] = [];
  const flush = () => {
    if (code.length === 0) return;
    const indent = Math.min(...code.map((l) => l.length - l.trimStart().length));
    blocks.push({ code: code.map((l) => l.slice(indent)) });
    code = [];
  };
  for (const line of text.trim().split('\n')) {
    if (/^\s+\S/.test(line)) code.push(line);
    else {
      flush();
      if (line.trim() !== '') blocks.push({ paragraph: line.trim() });
    }
  }
  flush();
  return blocks;
}

/** Rule prose as Markdown, so the line breaks and commands of a remediation survive. */
export function proseMarkdown(text: string): string[] {
  return proseBlocks(text).flatMap((b) => ('code' in b ? ['```', ...b.code, '```', ''] : [escapeText(b.paragraph), '']));
}

function entryMarkdown(e: CatalogueEntry, lang: Lang): string[] {
  const t = coverageTexts(lang);
  const c = t.catalogue;
  const rows: [string, string][] = [
    [c.id, `\`${e.id}\``],
    [c.severity, t.severity[e.severity] ?? e.severity],
    [c.target, t.targetKind[e.target] ?? e.target],
    [c.kind, e.kind === 'manual' ? c.manual : c.automated],
    [c.goals, e.goals.length > 0 ? e.goals.join(', ') : '–'],
    [c.checks, e.checks.length > 0 ? e.checks.map((k) => `${k.id}${k.title ? ` ${k.title[lang]}` : ''}`).join(', ') : '–'],
    [c.file, `\`${e.file}\``],
  ];
  const out = [anchor(e.id), `### ${e.id} – ${e.title[lang]}`, '', '| | |', '|---|---|', ...rows.map(([k, v]) => `| ${k} | ${cell(v)} |`), ''];
  out.push(`**${c.whatChecked}.**`, '');
  if (e.manual) {
    out.push(`${c.question}: ${escapeText(e.manual.question[lang].trim())}`, '', `${c.evidence}: ${escapeText(e.manual.evidence[lang].trim())}`, '', c.reviewMonths(e.manual.reviewMonths), '');
  } else {
    if (e.aggregateOf) out.push(`${c.aggregateOf}: ${e.aggregateOf.map((id) => `[${id}](#${id.toLowerCase()})`).join(', ')}`, '');
    if (e.facts.length > 0) out.push(`${c.facts}:`, '', ...e.facts.map((f) => `- \`${f.path}\`${f.description ? ` – ${f.description[lang]}` : ''}`), '');
    out.push(`${c.condition}:`, '', '```', ...(e.applies ? [`// applies: ${e.applies.trim()}`] : []), e.condition!.trim(), '```', '');
  }
  out.push(`**${c.rationale}.**`, '', ...proseMarkdown(e.rationale[lang]), `**${c.remediation}.**`, '', ...proseMarkdown(e.remediation[lang]));
  if (e.params.length > 0) {
    out.push(`**${c.params}.**`, '', `| ${c.param} | ${c.value} |`, '|---|---|', ...e.params.map((p) => `| \`${p.name}\` | ${cell(formatParam(p.value))} |`), '');
  }
  out.push(`**${c.sources}.**`, '', ...e.sources.map((s) => `- ${escapeText(s)}`), '');
  out.push(`**${c.frameworks}.**`, '');
  if (e.frameworks.length === 0) out.push(c.noFrameworks, '');
  else {
    out.push(`| ${t.requirement} | ${c.reason} |`, '|---|---|', ...e.frameworks.map((f) => `| ${cell(`${f.frameworkName[lang]} ${f.requirement} ${f.requirementTitle[lang]}`)} | ${cell(f.reason)} |`), '');
  }
  return out;
}

export function catalogueMarkdown(catalogue: RuleCatalogue, options: { lang: Lang; command: string }): string {
  const { lang } = options;
  const t = coverageTexts(lang);
  const c = t.catalogue;
  const groupId = (g: CatalogueGroup) => `goal-${(g.goal ?? 'none').toLowerCase()}`;
  const groupHeading = (g: CatalogueGroup) => (g.goal ? `${g.goal} – ${g.title[lang]}` : g.title[lang]);
  const lines = [
    `# ${c.title}`,
    '',
    `<!-- ${t.generated(options.command)} -->`,
    '',
    c.lead,
    '',
    c.counts(catalogue.automated, catalogue.manual),
    '',
    `## ${c.contents}`,
    '',
    ...catalogue.groups.map((g) => `- [${groupHeading(g)}](#${groupId(g)}) (${g.entries.length})`),
    '',
  ];
  for (const g of catalogue.groups) {
    lines.push(`<a id="${groupId(g)}"></a>`, `## ${groupHeading(g)}`, '');
    if (g.alsoHere.length > 0) lines.push(`${c.alsoHere}: ${g.alsoHere.map((id) => `[${id}](#${id.toLowerCase()})`).join(', ')}`, '');
    for (const e of g.entries) lines.push(...entryMarkdown(e, lang));
  }
  return `${lines.join('\n').replace(/\n{3,}/g, '\n\n')}\n`;
}
