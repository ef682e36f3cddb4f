import { BUNDLED_RULE_DIRS, isManualRule, lintRules, loadRuleFiles, problemLocation, RuleLoadError, runRuleTests, type LintReport, type TestReport } from '../../rules/engine/index.js';
import { choiceOption, UsageError } from '../args.js';
import type { Lang } from '../i18n.js';
import { label, SEVERITY_LABEL } from '../format/labels.js';
import type { Command } from './command.js';
import { COMMAND_SUMMARIES } from './catalogue.js';
import { parseOrHelp } from './shared.js';

/**
 * The packs to check and the packs loaded only as context. A kommun's own folders are checked
 * against the bundled packs (id clashes, aggregates of bundled rules) without re-checking them.
 */
function folders(positionals: string[], bundled: boolean): { dirs: string[]; contextDirs: string[] } {
  if (positionals.length === 0) return { dirs: [...BUNDLED_RULE_DIRS], contextDirs: [] };
  return bundled ? { dirs: [...BUNDLED_RULE_DIRS, ...positionals], contextDirs: [] } : { dirs: positionals, contextDirs: [...BUNDLED_RULE_DIRS] };
}

function renderLint(report: LintReport, lang: Lang): string {
  const lines = report.problems.map((p) => {
    const where = problemLocation(p);
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
    const generic = c.generic ? (lang === 'sv' ? ' [gemensamt intygsfall]' : ' [generic attestation case]') : '';
    const detail = c.ok ? '' : ` — ${lang === 'sv' ? 'väntade' : 'expected'} ${c.expected}, ${lang === 'sv' ? 'fick' : 'got'} ${c.actual ?? '—'}${c.problem ? `: ${c.problem}` : c.reason ? ` (${c.reason})` : ''}`;
    lines.push(`${mark} ${c.ruleId}: ${c.caseName}${generic}${detail}`);
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
    const { dirs: target, contextDirs } = folders(dirs, Boolean(parsed.values['with-bundled']));
    const load = async () => {
      const outcome = await loadRuleFiles(target, { contextDirs });
      if (outcome.problems.length > 0) throw new RuleLoadError(outcome.problems);
      const own = new Set(outcome.files);
      return { ruleSet: outcome.ruleSet, own: outcome.ruleSet.all.filter((r) => own.has(r.file)) };
    };
    switch (action) {
      case 'lint': {
        const report = await lintRules(target, { contextDirs });
        process.stdout.write(format === 'json' ? JSON.stringify(report, null, 2) + '\n' : renderLint(report, lang));
        return report.errors > 0 ? 1 : 0;
      }
      case 'test': {
        const { ruleSet, own } = await load();
        const report = runRuleTests(ruleSet, { ruleIds: own.map((r) => r.id) });
        process.stdout.write(format === 'json' ? JSON.stringify(report, null, 2) + '\n' : renderTests(report, lang, Boolean(parsed.values.verbose)));
        return report.ok ? 0 : 1;
      }
      case 'list': {
        const { own } = await load();
        const kindOf = (r: (typeof own)[number]) => (isManualRule(r) ? 'manual' : 'automated');
        if (format === 'json') {
          process.stdout.write(JSON.stringify(own.map((r) => ({ id: r.id, title: r.title, goals: r.goals, severity: r.severity, target: r.target, kind: kindOf(r) })), null, 2) + '\n');
        } else {
          const manualMark = lang === 'sv' ? 'manuell' : 'manual';
          for (const r of own) {
            process.stdout.write(`${r.id.padEnd(12)} ${label(SEVERITY_LABEL, r.severity, lang).padEnd(8)} ${r.goals.join(',').padEnd(10)} ${isManualRule(r) ? `[${manualMark}] ` : ''}${r.title[lang]}\n`);
          }
        }
        return 0;
      }
      default:
        throw new UsageError(lang === 'sv' ? 'skriv "rules lint", "rules test" eller "rules list"' : 'write "rules lint", "rules test" or "rules list"');
    }
  },
};
