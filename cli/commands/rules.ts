import { BUNDLED_RULE_DIRS, lintRules, loadRules, runRuleTests, type LintReport, type TestReport } from '../../rules/engine/index.js';
import { choiceOption, UsageError } from '../args.js';
import type { Lang } from '../i18n.js';
import { label, SEVERITY_LABEL } from '../format/labels.js';
import type { Command } from './command.js';
import { COMMAND_SUMMARIES } from './catalogue.js';
import { parseOrHelp } from './shared.js';

function folders(positionals: string[], bundled: boolean): string[] {
  return bundled || positionals.length === 0 ? [...BUNDLED_RULE_DIRS, ...positionals] : positionals;
}

function renderLint(report: LintReport, lang: Lang): string {
  const lines = report.problems.map((p) => {
    const where = `${p.file}${p.line !== undefined ? `:${p.line}` : ''}`;
    const kind = p.severity === 'error' ? (lang === 'sv' ? 'fel' : 'error') : lang === 'sv' ? 'varning' : 'warning';
    return `${where}: ${kind}: ${p.field ? `${p.field}: ` : ''}${p.message}`;
  });
  lines.push(
    lang === 'sv'
      ? `${report.files} filer, ${report.rules} regler: ${report.errors} fel, ${report.warnings} varningar`
      : `${report.files} files, ${report.rules} rules: ${report.errors} errors, ${report.warnings} warnings`,
  );
  return lines.join('\n') + '\n';
}

function renderTests(report: TestReport, lang: Lang, verbose: boolean): string {
  const lines: string[] = [];
  for (const c of report.cases) {
    if (c.ok && !verbose) continue;
    const mark = c.ok ? '✓' : '✗';
    const detail = c.ok ? '' : ` — ${lang === 'sv' ? 'väntade' : 'expected'} ${c.expected}, ${lang === 'sv' ? 'fick' : 'got'} ${c.actual ?? '—'}${c.problem ? `: ${c.problem}` : c.reason ? ` (${c.reason})` : ''}`;
    lines.push(`${mark} ${c.ruleId}: ${c.caseName}${detail}`);
  }
  lines.push(`${report.passed} passed, ${report.failed} failed`);
  return lines.join('\n') + '\n';
}

export const rulesCommand: Command = {
  spec: {
    name: 'rules',
    summary: COMMAND_SUMMARIES.rules,
    usage: 'basvakt rules lint|test|list [MAPP …] [--with-bundled] [--format table|json]',
    positionals: [
      { name: 'lint|test|list', help: { sv: 'vad som ska göras', en: 'what to do' } },
      { name: 'MAPP …', help: { sv: 'regelpaket (standard: de medföljande)', en: 'rule-pack folders (default: the bundled ones)' } },
    ],
    options: {
      'with-bundled': { type: 'boolean', help: { sv: 'ta med de medföljande paketen när egna mappar anges', en: 'include the bundled packs when folders are given' } },
      format: { type: 'string', value: 'table|json', help: { sv: 'utdataformat (standard table)', en: 'output format (default table)' } },
      verbose: { type: 'boolean', short: 'v', help: { sv: 'visa även godkända testfall', en: 'also list passing test cases' } },
    },
    examples: ['basvakt rules lint /etc/basvakt/regler --with-bundled', 'basvakt rules test'],
  },
  async run(argv, lang) {
    const parsed = parseOrHelp(this.spec, argv, lang);
    if (!parsed) return 0;
    const [action, ...dirs] = parsed.positionals;
    const format = choiceOption(parsed.values, 'format', ['table', 'json'] as const, 'table', lang);
    const target = folders(dirs, Boolean(parsed.values['with-bundled']));
    switch (action) {
      case 'lint': {
        const report = await lintRules(target);
        process.stdout.write(format === 'json' ? JSON.stringify(report, null, 2) + '\n' : renderLint(report, lang));
        return report.errors > 0 ? 1 : 0;
      }
      case 'test': {
        const report = runRuleTests(await loadRules(target));
        process.stdout.write(format === 'json' ? JSON.stringify(report, null, 2) + '\n' : renderTests(report, lang, Boolean(parsed.values.verbose)));
        return report.ok ? 0 : 1;
      }
      case 'list': {
        const ruleSet = await loadRules(target);
        if (format === 'json') {
          process.stdout.write(JSON.stringify(ruleSet.rules.map(({ id, title, goals, severity, target: kind }) => ({ id, title, goals, severity, target: kind })), null, 2) + '\n');
        } else {
          for (const r of ruleSet.rules) process.stdout.write(`${r.id.padEnd(12)} ${label(SEVERITY_LABEL, r.severity, lang).padEnd(8)} ${r.goals.join(',').padEnd(10)} ${r.title[lang]}\n`);
        }
        return 0;
      }
      default:
        throw new UsageError(lang === 'sv' ? 'skriv "rules lint", "rules test" eller "rules list"' : 'write "rules lint", "rules test" or "rules list"');
    }
  },
};
