import { UsageError, requireOption } from '../args.js';
import type { Command } from './command.js';
import { COMMAND_SUMMARIES } from './catalogue.js';
import { CONFIG_OPTION, localActor, runOnStore, SHORT_ID } from './shared.js';


export const tenantCommand: Command = {
  spec: {
    name: 'tenant',
    summary: COMMAND_SUMMARIES.tenant,
    usage: 'basvakt tenant add ID --name NAMN --config FIL | basvakt tenant list --config FIL',
    positionals: [
      { name: 'add ID | list', help: { sv: 'lägg till en kommun med kort id (t.ex. amal) eller lista alla', en: 'add a tenant with a short id (e.g. amal), or list them' } },
    ],
    options: { ...CONFIG_OPTION, name: { type: 'string', value: 'NAMN', help: { sv: 'kommunens namn, t.ex. "Åmåls kommun"', en: 'the tenant\'s name' } } },
    examples: ['basvakt tenant add amal --name "Åmåls kommun" --config collector.yaml'],
  },
  run(argv, lang) {
    return runOnStore(this.spec, argv, lang, async (store, parsed) => {
      const [action, id] = parsed.positionals;
      if (action === 'list') {
        for (const t of await store.listTenants()) process.stdout.write(`${t.id}\t${t.name}\n`);
        return 0;
      }
      if (action !== 'add' || !id) throw new UsageError(lang === 'sv' ? 'skriv "tenant add ID --name NAMN" eller "tenant list"' : 'write "tenant add ID --name NAME" or "tenant list"');
      if (!SHORT_ID.test(id)) throw new UsageError(lang === 'sv' ? `id "${id}" ska vara gemena bokstäver a–z, siffror och bindestreck` : `id "${id}" must be lowercase a–z, digits and hyphens`);
      const name = requireOption(parsed.values, 'name', lang);
      if (await store.getTenant(id)) throw new UsageError(lang === 'sv' ? `organisationen ${id} finns redan` : `tenant ${id} already exists`);
      const now = new Date();
      await store.createTenant(id, name, now);
      await store.appendAudit(id, localActor(), 'tenant.created', { name }, now);
      process.stdout.write(lang === 'sv' ? `Organisationen ${id} (${name}) är skapad.\n` : `Tenant ${id} (${name}) created.\n`);
      return 0;
    });
  },
};
