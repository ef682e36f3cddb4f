import { UsageError, requireOption } from '../args.js';
import type { Command } from './command.js';
import { COMMAND_SUMMARIES } from './catalogue.js';
import { CONFIG_OPTION, localActor, runOnStore, SHORT_ID } from './shared.js';


export const federationCommand: Command = {
  spec: {
    name: 'federation',
    summary: COMMAND_SUMMARIES.federation,
    usage: 'basvakt federation add ID --name NAMN --members A,B,… --config FIL | basvakt federation list --config FIL',
    positionals: [{ name: 'add ID | list', help: { sv: 'skapa en samverkan av kommuner eller lista dem', en: 'create a federation of tenants, or list them' } }],
    options: {
      ...CONFIG_OPTION,
      name: { type: 'string', value: 'NAMN', help: { sv: 'samverkans namn, t.ex. "Dalslandskommunerna"', en: 'the federation\'s name' } },
      members: { type: 'string', value: 'A,B,…', help: { sv: 'medlemmarnas id, kommaseparerade', en: 'member tenant ids, comma separated' } },
    },
    examples: ['basvakt federation add dalsland --name "Dalslandskommunerna" --members amal,bengtsfors,dals-ed,fargelanda,mellerud --config collector.yaml'],
  },
  run(argv, lang) {
    return runOnStore(this.spec, argv, lang, async (store, parsed) => {
      const [action, id] = parsed.positionals;
      if (action === 'list') {
        for (const f of await store.federations.list()) process.stdout.write(`${f.id}\t${f.name}\t${(await store.federations.members(f.id)).join(',')}\n`);
        return 0;
      }
      if (action !== 'add' || !id || !SHORT_ID.test(id)) throw new UsageError(lang === 'sv' ? 'skriv "federation add ID --name NAMN --members A,B" (id: a–z, 0–9, -)' : 'write "federation add ID --name NAME --members A,B"');
      const name = requireOption(parsed.values, 'name', lang);
      const members = requireOption(parsed.values, 'members', lang).split(',').map((m) => m.trim()).filter(Boolean);
      for (const m of members) if (!(await store.getTenant(m))) throw new UsageError(lang === 'sv' ? `okänd organisation ${m}: skapa den först med "basvakt tenant add"` : `unknown tenant ${m}`);
      const now = new Date();
      await store.federations.create(id, name, members, now);
      await store.appendAudit(null, localActor(), 'federation.created', { federation: id, name, members }, now);
      process.stdout.write(lang === 'sv' ? `Samverkan ${id} (${name}) med ${members.join(', ')} är skapad.\n` : `Federation ${id} (${name}) with ${members.join(', ')} created.\n`);
      return 0;
    });
  },
};
