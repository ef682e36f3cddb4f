import { createApiToken, createEnrollmentToken } from '../../collector/services/enrollment.js';
import { UsageError, choiceOption, intOption, requireOption } from '../args.js';
import type { Command } from './command.js';
import { COMMAND_SUMMARIES } from './catalogue.js';
import { CONFIG_OPTION, collectorConfigFrom, localActor, parseOrHelp, withStore } from './shared.js';

export const tokenCommand: Command = {
  spec: {
    name: 'token',
    summary: COMMAND_SUMMARIES.token,
    usage: 'basvakt token create --tenant ID [--kind enrollment|api] [--uses N] [--hours H] --config FIL',
    positionals: [{ name: 'create', help: { sv: 'skapa en ny nyckel; den visas bara en gång', en: 'create a new token; it is shown once' } }],
    options: {
      ...CONFIG_OPTION,
      tenant: { type: 'string', value: 'ID', help: { sv: 'organisationen nyckeln gäller', en: 'the tenant the token belongs to' } },
      kind: { type: 'string', value: 'enrollment|api', help: { sv: 'anslutning av agenter (standard) eller läsning via API', en: 'agent enrollment (default) or API read access' } },
      uses: { type: 'string', value: 'N', help: { sv: 'hur många agenter nyckeln får ansluta (standard 1)', en: 'how many agents may enroll with it (default 1)' } },
      hours: { type: 'string', value: 'H', help: { sv: 'giltighetstid i timmar (standard 24)', en: 'validity in hours (default 24)' } },
    },
    examples: ['basvakt token create --tenant amal --uses 20 --hours 72 --config collector.yaml > /root/amal.token'],
  },
  async run(argv, lang) {
    const parsed = parseOrHelp(this.spec, argv, lang);
    if (!parsed) return 0;
    if (parsed.positionals[0] !== 'create') throw new UsageError(lang === 'sv' ? 'skriv "token create --tenant ID"' : 'write "token create --tenant ID"');
    const tenantId = requireOption(parsed.values, 'tenant', lang);
    const kind = choiceOption(parsed.values, 'kind', ['enrollment', 'api'] as const, 'enrollment', lang);
    const config = await collectorConfigFrom(parsed.values, lang);
    return withStore(config, async (store) => {
      const created =
        kind === 'api'
          ? await createApiToken(store, { tenantId, role: 'reader', actor: localActor() })
          : await createEnrollmentToken(store, {
              tenantId,
              maxUses: intOption(parsed.values, 'uses', 1, lang),
              validForHours: intOption(parsed.values, 'hours', 24, lang),
              actor: localActor(),
            });
      // The token alone on stdout, so it can be redirected straight into a file.
      process.stdout.write(`${created.token}\n`);
      const note =
        lang === 'sv'
          ? `Nyckel ${created.id} för ${tenantId}${created.expiresAt ? `, giltig till ${created.expiresAt}` : ''}. Den visas bara nu; insamlaren sparar endast ett hashvärde.\n`
          : `Token ${created.id} for ${tenantId}${created.expiresAt ? `, valid until ${created.expiresAt}` : ''}. Shown once; the collector keeps only a hash.\n`;
      process.stderr.write(note);
      return 0;
    });
  },
};
