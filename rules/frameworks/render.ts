import type { FrameworkCoverage, RequirementRow } from './coverage.js';
import { coverageTexts, type CoverageTexts } from './texts.js';

/** The coverage table as Markdown (docs/coverage/<framework>.md), a terminal table and JSON. */

type Lang = 'sv' | 'en';

/** Text safe inside a Markdown table cell. */
export function cell(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

const COVERAGE_KEY = { automated: 'automated', manual: 'manual', 'not-covered': 'notCovered' } as const;
const RESULT_KEY = { met: 'met', 'not-met': 'notMet', unknown: 'unknown', partial: 'partial', 'not-assessed': 'notAssessed' } as const;

export function coverageLabel(row: Pick<RequirementRow, 'coverage'>, t: CoverageTexts): string {
  return t[COVERAGE_KEY[row.coverage]];
}

export function resultLabel(row: Pick<RequirementRow, 'result'>, t: CoverageTexts): string {
  return row.result ? t[RESULT_KEY[row.result]] : '';
}

function requirementTitle(row: RequirementRow, lang: Lang, t: CoverageTexts): string {
  const r = row.requirement;
  const also = r.parents.slice(1);
  const extra = [
    ...(also.length > 0 ? [lang === 'sv' ? `också under ${also.join(', ')}` : `also under ${also.join(', ')}`] : []),
    ...(r.inferred ? [t.inferred] : []),
  ];
  return `${r.title[lang]}${extra.length > 0 ? ` (${extra.join('; ')})` : ''}`;
}

function unitsText(row: RequirementRow, lang: Lang): string {
  if (row.requirement.children.length === 0 && row.requirement.unlisted === 0 && !row.requirement.unlistedContent) return '';
  const u = row.units;
  return lang === 'sv'
    ? `${u.total - u.notCovered} av ${u.total} delkrav täckta`
    : `${u.total - u.notCovered} of ${u.total} sub-requirements covered`;
}

export interface CoverageMarkdownOptions {
  lang: Lang;
  /** The command that made the file, named in its header. */
  command: string;
}

export function coverageMarkdown(coverage: FrameworkCoverage, options: CoverageMarkdownOptions): string {
  const { lang } = options;
  const t = coverageTexts(lang);
  const f = coverage.framework;
  const withResults = coverage.summary.met !== undefined;
  const withLevels = f.levels !== undefined;
  const lines: string[] = [
    `# ${lang === 'sv' ? 'Täckning' : 'Coverage'}: ${f.name[lang]}`,
    '',
    `<!-- ${t.generated(options.command)} -->`,
    '',
    `- ${t.version}: ${f.version}`,
    `- ${t.source}: <${f.source}>`,
    ...f.sources.map((s) => `- ${t.source}: ${s.startsWith('http') ? `<${s}>` : s}`),
    '',
    f.note[lang],
    '',
    ...(withLevels ? [`${t.level}:`, '', `- ${t.levels.bas}: ${f.levels!.bas[lang]}`, `- ${t.levels.hög}: ${f.levels!.hög[lang]}`, ''] : []),
    `**${t.summary(coverage.summary)}**`,
    '',
    ...(coverage.unitSummary ? [t.unitSummary(coverage.unitSummary), ''] : []),
    ...(f.complete ? [] : [`*${t.incompleteList}*`, '']),
  ];
  const head = [t.requirement, t.title, ...(withLevels ? [t.level] : []), t.coverage, ...(withResults ? [t.result] : []), t.rules];
  lines.push(`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`);
  for (const row of coverage.rows) {
    const indent = row.depth > 0 ? `${'&nbsp;&nbsp;'.repeat(row.depth)}↳ ` : '';
    const units = unitsText(row, lang);
    const rules = row.rules.map((r) => `${r.id}${r.manual ? ` (${t.manualMark})` : ''}${r.outcome ? ` – ${t.outcome[r.outcome]}` : ''}: ${r.reason}`);
    const result = withResults ? [`${resultLabel(row, t)}${row.reason ? ` – ${row.reason}` : ''}`] : [];
    const cells = [
      `${indent}${row.requirement.id}`,
      requirementTitle(row, lang, t),
      ...(withLevels ? [row.requirement.level ? t.levels[row.requirement.level]! : ''] : []),
      `${coverageLabel(row, t)}${units ? ` (${units})` : ''}`,
      ...result,
      rules.length > 0 ? rules.join('<br>') : '–',
    ];
    lines.push(`| ${cells.map(cell).join(' | ')} |`);
  }
  return `${lines.join('\n')}\n`;
}

/** A compact table for the terminal: id, coverage, result, rule ids. */
export function coverageTable(coverage: FrameworkCoverage, lang: Lang): string {
  const t = coverageTexts(lang);
  const f = coverage.framework;
  const rows = coverage.rows.map((row) => [
    `${'  '.repeat(row.depth)}${row.requirement.id}`,
    coverageLabel(row, t),
    resultLabel(row, t),
    row.rules.map((r) => (r.outcome ? `${r.id}(${t.outcome[r.outcome]})` : r.id)).join(' ') || '–',
  ]);
  const width = [0, 1, 2].map((i) => Math.max(...rows.map((r) => r[i]!.length), 0));
  const lines = [`${f.name[lang]} – ${t.summary(coverage.summary)}`];
  if (coverage.unitSummary) lines.push(t.unitSummary(coverage.unitSummary));
  for (const r of rows) lines.push(`  ${r[0]!.padEnd(width[0]!)}  ${r[1]!.padEnd(width[1]!)}  ${width[2]! > 0 ? `${r[2]!.padEnd(width[2]!)}  ` : ''}${r[3]}`);
  return `${lines.join('\n')}\n`;
}

/** Plain JSON of the coverage: no maps, no functions. */
export function coverageJson(coverage: FrameworkCoverage): unknown {
  const f = coverage.framework;
  return {
    framework: { id: f.id, name: f.name, version: f.version, source: f.source, complete: f.complete, note: f.note, ...(f.levels ? { levels: f.levels } : {}) },
    summary: coverage.summary,
    ...(coverage.unitSummary ? { unitSummary: coverage.unitSummary } : {}),
    requirements: coverage.rows.map((row) => ({
      id: row.requirement.id,
      title: row.requirement.title,
      ...(row.requirement.level ? { level: row.requirement.level } : {}),
      parents: row.requirement.parents,
      depth: row.depth,
      inferred: row.requirement.inferred,
      coverage: row.coverage,
      units: row.units,
      ...(row.result ? { result: row.result } : {}),
      ...(row.reason ? { reason: row.reason } : {}),
      rules: row.rules,
    })),
  };
}
