import { reportJsonSchema } from '../../report/json-schema.js';
import type { Command } from './command.js';
import { COMMAND_SUMMARIES } from './catalogue.js';
import { parseOrHelp } from './shared.js';

export const schemaCommand: Command = {
  spec: {
    name: 'schema',
    summary: COMMAND_SUMMARIES.schema,
    usage: 'basvakt schema',
    options: {},
  },
  async run(argv, lang) {
    if (!parseOrHelp(this.spec, argv, lang)) return 0;
    process.stdout.write(JSON.stringify(reportJsonSchema(), null, 2) + '\n');
    return 0;
  },
};
