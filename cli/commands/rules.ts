import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { BUNDLED_RULE_DIRS, isManualRule, lintRules, loadRuleFiles, problemLocation, RuleLoadError, runRuleTests, type LintReport, type TestReport } from '../../rules/engine/index.js';
import { catalogueCommand, catalogueMarkdown, coverageCommand, ruleCatalogue } from '../../rules/frameworks/catalogue.js';
import { frameworkCoverage, type RuleTally } from '../../rules/frameworks/coverage.js';
import { bundledFrameworks, danglingLinks, FRAMEWORK_IDS, FrameworkLoadError } from '../../rules/frameworks/index.js';
import { coverageJson, coverageMarkdown, coverageTable } from '../../rules/frameworks/render.js';
import { choiceOption, stringOption, UsageError } from '../args.js';
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
    usage: 'basvakt rules lint|test|list|coverage|catalogue [MAPP …] [--with-bundled] [--format table|markdown|json] [--framework ID] [--findings FIL] [--output SÖKVÄG]',
    positionals: [
      { name: 'lint|test|list|coverage|catalogue', help: { sv: 'vad som ska göras: kontrollera, köra testfall, lista, ramverkens täckning eller regelkatalogen', en: 'what to do: lint, run test cases, list, framework coverage or the rule catalogue' } },
      { name: 'MAPP …', help: { sv: 'regelpaket (standard: de medföljande; egna mappar kontrolleras mot dem)', en: 'rule-pack folders (default: the bundled ones; own folders are checked against them)' } },
    ],
    options: {
      'with-bundled': { type: 'boolean', help: { sv: 'kontrollera också de medföljande paketen när egna mappar anges', en: 'also check the bundled packs when folders are given' } },
      format: { type: 'string', value: 'table|markdown|json', help: { sv: 'utdataformat (standard table; coverage och catalogue: markdown)', en: 'output format (default table; markdown for coverage and catalogue)' } },
      framework: { type: 'string', value: 'ID', help: { sv: `coverage: bara ett ramverk (${FRAMEWORK_IDS.join(', ')})`, en: `coverage: one framework only (${FRAMEWORK_IDS.join(', ')})` } },
      findings: { type: 'string', value: 'FIL', help: { sv: 'coverage: resultat som JSON (från basvakt findings --format json) ger uppfyllt/inte uppfyllt per krav', en: 'coverage: results as JSON (from basvakt findings --format json) give met/not met per requirement' } },
      output: { type: 'string', value: 'SÖKVÄG', help: { sv: 'skriv till fil; coverage utan --framework: en fil per ramverk i katalogen', en: 'write to a file; coverage without --framework: one file per framework in the folder' } },
      verbose: { type: 'boolean', short: 'v', help: { sv: 'visa även godkända testfall', en: 'also list passing test cases' } },
    },
    examples: [
      'basvakt rules lint /etc/basvakt/regler',
      'basvakt rules test /etc/basvakt/regler',
      'basvakt rules coverage --framework nis2-art21',
      'basvakt rules coverage --format markdown --output docs/coverage',
      'basvakt rules catalogue --output docs/regelkatalog.md',
    ],
  },
  async run(argv, lang) {
    const parsed = parseOrHelp(this.spec, argv, lang);
    if (!parsed) return 0;
    const [action, ...dirs] = parsed.positionals;
    const { dirs: target, contextDirs } = folders(dirs, Boolean(parsed.values['with-bundled']));
    const load = async () => {
      const outcome = await loadRuleFiles(target, { contextDirs });
      if (outcome.problems.length > 0) throw new RuleLoadError(outcome.problems);
      const own = new Set(outcome.files);
      return { ruleSet: outcome.ruleSet, own: outcome.ruleSet.all.filter((r) => own.has(r.file)) };
    };
    const docLang = lang;
    switch (action) {
      case 'lint': {
        const format = choiceOption(parsed.values, 'format', ['table', 'json'] as const, 'table', lang);
        const report = await lintRules(target, { contextDirs });
        process.stdout.write(format === 'json' ? JSON.stringify(report, null, 2) + '\n' : renderLint(report, lang));
        return report.errors > 0 ? 1 : 0;
      }
      case 'test': {
        const format = choiceOption(parsed.values, 'format', ['table', 'json'] as const, 'table', lang);
        const { ruleSet, own } = await load();
        const report = runRuleTests(ruleSet, { ruleIds: own.map((r) => r.id) });
        process.stdout.write(format === 'json' ? JSON.stringify(report, null, 2) + '\n' : renderTests(report, lang, Boolean(parsed.values.verbose)));
        return report.ok ? 0 : 1;
      }
      case 'list': {
        const format = choiceOption(parsed.values, 'format', ['table', 'json'] as const, 'table', lang);
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
      case 'coverage': {
        const format = choiceOption(parsed.values, 'format', ['table', 'markdown', 'json'] as const, 'table', lang);
        const { ruleSet } = await load();
        const frameworks = bundledFrameworks();
        const dangling = danglingLinks(frameworks, ruleSet);
        if (dangling.length > 0) throw new FrameworkLoadError(dangling);
        const only = stringOption(parsed.values, 'framework');
        if (only !== undefined && !frameworks.byId.has(only)) {
          throw new UsageError(lang === 'sv' ? `okänt ramverk "${only}"; välj ett av ${FRAMEWORK_IDS.join(', ')}` : `unknown framework "${only}"; choose one of ${FRAMEWORK_IDS.join(', ')}`);
        }
        const findingsFile = stringOption(parsed.values, 'findings');
        const results = findingsFile ? await readFindingTallies(findingsFile, lang) : undefined;
        const chosen = frameworks.frameworks.filter((f) => !only || f.id === only);
        const coverages = chosen.map((f) => frameworkCoverage(f, ruleSet, results));
        const render = (c: (typeof coverages)[number]) =>
          format === 'json'
            ? JSON.stringify(coverageJson(c), null, 2) + '\n'
            : format === 'markdown'
              ? coverageMarkdown(c, { lang: docLang, command: coverageCommand(c.framework.id, docLang) })
              : coverageTable(c, docLang);
        const output = stringOption(parsed.values, 'output');
        if (output && !only) {
          await mkdir(output, { recursive: true });
          for (const c of coverages) await writeFile(join(output, `${c.framework.id}${format === 'json' ? '.json' : format === 'markdown' ? '.md' : '.txt'}`), render(c));
        } else {
          const text = format === 'json' && !only ? JSON.stringify(coverages.map(coverageJson), null, 2) + '\n' : coverages.map(render).join('\n');
          if (output) await writeFile(output, text);
          else process.stdout.write(text);
        }
        return 0;
      }
      case 'catalogue': {
        const format = choiceOption(parsed.values, 'format', ['markdown', 'json'] as const, 'markdown', lang);
        const { ruleSet } = await load();
        const catalogue = ruleCatalogue(ruleSet, bundledFrameworks());
        const text = format === 'json' ? JSON.stringify(catalogue, null, 2) + '\n' : catalogueMarkdown(catalogue, { lang: docLang, command: catalogueCommand(docLang) });
        const output = stringOption(parsed.values, 'output');
        if (output) await writeFile(output, text);
        else process.stdout.write(text);
        return 0;
      }
      default:
        throw new UsageError(lang === 'sv' ? 'skriv "rules lint", "rules test", "rules list", "rules coverage" eller "rules catalogue"' : 'write "rules lint", "rules test", "rules list", "rules coverage" or "rules catalogue"');
    }
  },
};

/** Per-rule tallies from `basvakt findings --format json` (or a plain list of findings). Waived failures stay failures. */
async function readFindingTallies(file: string, lang: Lang): Promise<Map<string, RuleTally>> {
  let data: unknown;
  try {
    data = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    throw new UsageError(lang === 'sv' ? `--findings ${file} kan inte läsas som JSON: ${(error as Error).message}` : `--findings ${file} is not readable JSON: ${(error as Error).message}`);
  }
  const list = Array.isArray(data) ? data : (data as { findings?: unknown } | null)?.findings;
  if (!Array.isArray(list)) throw new UsageError(lang === 'sv' ? `--findings ${file}: väntade en lista eller { findings: [...] }` : `--findings ${file}: expected a list or { findings: [...] }`);
  const tallies = new Map<string, RuleTally>();
  list.forEach((f: unknown, i) => {
    const { ruleId, status } = (f ?? {}) as { ruleId?: unknown; status?: unknown };
    if (typeof ruleId !== 'string' || typeof status !== 'string') {
      throw new UsageError(lang === 'sv' ? `--findings ${file}: findings[${i}] saknar ruleId eller status` : `--findings ${file}: findings[${i}] has no ruleId or status`);
    }
    const t = tallies.get(ruleId) ?? { pass: 0, fail: 0, unknown: 0, notApplicable: 0 };
    if (status === 'pass') t.pass++;
    else if (status === 'fail') t.fail++;
    else if (status === 'not_applicable') t.notApplicable!++;
    else t.unknown++;
    tallies.set(ruleId, t);
  });
  return tallies;
}
