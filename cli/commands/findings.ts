import { loadRules, BUNDLED_RULE_DIRS } from '../../rules/engine/index.js';
import { Evaluator } from '../../collector/evaluate/evaluator.js';
import { tenantFindings } from '../../collector/services/findings.js';
import { choiceOption, requireOption, stringOption, UsageError } from '../args.js';
import { renderFindingsTable } from '../format/findings.js';
import { ruleTextLookup } from '../local-evaluation.js';
import type { Command } from './command.js';
import { COMMAND_SUMMARIES } from './catalogue.js';
import { CONFIG_OPTION, collectorConfigFrom, parseOrHelp, withStore } from './shared.js';

export const findingsCommand: Command = {
  spec: {
    name: 'findings',
    summary: COMMAND_SUMMARIES.findings,
    usage: 'basvakt findings --config FIL --tenant ID [--status fail,unknown] [--goal AV] [--format table|json]',
    options: {
      ...CONFIG_OPTION,
      tenant: { type: 'string', value: 'ID', help: { sv: 'organisationen (kommunen)', en: 'the tenant' } },
      status: { type: 'string', value: 'LISTA', help: { sv: 'bara dessa utfall: fail, unknown, pass, not_applicable', en: 'only these statuses' } },
      goal: { type: 'string', value: 'MÅL', help: { sv: 'bara detta mål, t.ex. AV eller TRACE', en: 'only this goal, e.g. AV' } },
      format: { type: 'string', value: 'table|json', help: { sv: 'utdataformat (standard table)', en: 'output format (default table)' } },
      all: { type: 'boolean', help: { sv: 'visa även godkända resultat i tabellen', en: 'also list passing results' } },
    },
    examples: ['basvakt findings --config /etc/basvakt/collector.yaml --tenant amal --status fail'],
  },
  async run(argv, lang) {
    const parsed = parseOrHelp(this.spec, argv, lang);
    if (!parsed) return 0;
    const tenantId = requireOption(parsed.values, 'tenant', lang);
    const format = choiceOption(parsed.values, 'format', ['table', 'json'] as const, 'table', lang);
    const config = await collectorConfigFrom(parsed.values, lang);
    const ruleSet = await loadRules([...BUNDLED_RULE_DIRS, ...config.rules.directories]);
    return withStore(config, async (store) => {
      const tenant = await store.getTenant(tenantId);
      if (!tenant) throw new UsageError(lang === 'sv' ? `okänd organisation ${tenantId}` : `unknown tenant ${tenantId}`);
      // Tenant-wide rules are re-judged here too, so the view is current even if the collector is down.
      await new Evaluator(ruleSet).refreshAggregates(store, tenantId, new Date());
      const status = stringOption(parsed.values, 'status')?.split(',').map((s) => s.trim());
      const { findings, score } = await tenantFindings(store, tenantId, { status, goal: stringOption(parsed.values, 'goal') }, { now: new Date(), silentAfterHours: config.lifecycle.silentAfterHours });
      if (format === 'json') {
        process.stdout.write(JSON.stringify({ tenant: tenantId, score, findings }, null, 2) + '\n');
      } else {
        const heading = lang === 'sv' ? `Resultat för ${tenant.name} (${tenantId})` : `Findings for ${tenant.name} (${tenantId})`;
        process.stdout.write(renderFindingsTable({ findings, heading, showPassing: Boolean(parsed.values.all), ...ruleTextLookup(ruleSet) }, lang));
      }
      return 0;
    });
  },
};
