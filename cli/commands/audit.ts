import { auditCsv, presentAudit } from '../../collector/services/audit.js';
import { choiceOption, stringOption } from '../args.js';
import type { Command } from './command.js';
import { COMMAND_SUMMARIES } from './catalogue.js';
import { CONFIG_OPTION, runOnStore } from './shared.js';

export const auditCommand: Command = {
  spec: {
    name: 'audit',
    summary: COMMAND_SUMMARIES.audit,
    usage: 'basvakt audit --config FIL [--tenant ID] [--format table|json|csv]',
    options: {
      ...CONFIG_OPTION,
      tenant: { type: 'string', value: 'ID', help: { sv: 'bara denna organisation (standard: allt)', en: 'only this tenant (default: everything)' } },
      format: { type: 'string', value: 'table|json|csv', help: { sv: 'utdataformat (standard table)', en: 'output format' } },
    },
    examples: ['basvakt audit --config collector.yaml --tenant amal --format csv > revision.csv'],
  },
  run(argv, lang) {
    return runOnStore(this.spec, argv, lang, async (store, parsed) => {
      const format = choiceOption(parsed.values, 'format', ['table', 'json', 'csv'] as const, 'table', lang);
      const rows = await store.listAudit(stringOption(parsed.values, 'tenant') ?? null);
      if (format === 'csv') process.stdout.write(auditCsv(rows));
      else if (format === 'json') process.stdout.write(JSON.stringify(rows.map(presentAudit), null, 2) + '\n');
      else for (const r of rows) process.stdout.write(`${r.at}  ${r.tenant_id ?? '-'}  ${r.actor}  ${r.action}  ${r.details}\n`);
      return 0;
    });
  },
};
