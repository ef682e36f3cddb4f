import { readFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { VERSION } from '../../common/version.js';
import { loadAgentConfig } from '../../agent/config/index.js';
import { createCollectorClient, writeCredential } from '../../agent/transport/index.js';
import { requireOption, stringOption, UsageError } from '../args.js';
import type { Lang } from '../i18n.js';
import type { Command } from './command.js';
import { COMMAND_SUMMARIES } from './catalogue.js';
import { parseOrHelp } from './shared.js';

/** The enrollment token comes from a file or the environment, never from the command line (ps shows it). */
async function readToken(values: Record<string, unknown>, lang: Lang): Promise<string> {
  const file = stringOption(values, 'token-file');
  const token = file ? (await readFile(file, 'utf8')).trim() : process.env.BASVAKT_ENROLL_TOKEN?.trim();
  if (!token) {
    throw new UsageError(lang === 'sv' ? 'ange anslutningsnyckeln med --token-file FIL eller miljövariabeln BASVAKT_ENROLL_TOKEN' : 'give the enrollment token with --token-file FILE or BASVAKT_ENROLL_TOKEN');
  }
  return token;
}

export const enrollCommand: Command = {
  spec: {
    name: 'enroll',
    summary: COMMAND_SUMMARIES.enroll,
    usage: 'basvakt enroll --config FIL (--token-file FIL | BASVAKT_ENROLL_TOKEN=…)',
    options: {
      config: { type: 'string', short: 'c', value: 'FIL', help: { sv: 'agentens konfiguration (insamlarens adress, var inloggningen sparas)', en: 'agent config (collector URL, where the credential is kept)' } },
      'token-file': { type: 'string', value: 'FIL', help: { sv: 'fil med anslutningsnyckeln från "basvakt token create"', en: 'file holding the token from "basvakt token create"' } },
    },
    examples: ['basvakt enroll --config /etc/basvakt/agent.yaml --token-file /root/amal.token'],
  },
  async run(argv, lang) {
    const parsed = parseOrHelp(this.spec, argv, lang);
    if (!parsed) return 0;
    const config = await loadAgentConfig(requireOption(parsed.values, 'config', lang));
    const token = await readToken(parsed.values, lang);
    const client = await createCollectorClient(config.collector);
    try {
      const credential = await client.enroll(token, hostname(), VERSION);
      await writeCredential(config.credentialFile, credential);
      process.stdout.write(
        lang === 'sv'
          ? `Agenten ${credential.agentId} är ansluten till ${credential.tenant} via ${config.collector.url}.\nInloggningen är sparad i ${config.credentialFile} (läsbar bara för ägaren).\n`
          : `Agent ${credential.agentId} enrolled in ${credential.tenant} at ${config.collector.url}.\nCredential saved in ${config.credentialFile} (owner-only).\n`,
      );
      return 0;
    } finally {
      client.close();
    }
  },
};
