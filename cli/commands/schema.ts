import { reportJsonSchema } from '../../report/json-schema.js';
import type { Command } from './command.js';
import { parseOrHelp } from './shared.js';

export const schemaCommand: Command = {
  spec: {
    name: 'schema',
    summary: { sv: 'Skriv ut rapportformatet som JSON Schema', en: 'Print the report format as JSON Schema' },
    usage: 'basvakt schema',
    options: {},
  },
  async run(argv, lang) {
    if (!parseOrHelp(this.spec, argv, lang)) return 0;
    process.stdout.write(JSON.stringify(reportJsonSchema(), null, 2) + '\n');
    return 0;
  },
};
