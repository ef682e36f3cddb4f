import { UsageError, requireOption } from '../args.js';
import type { Command } from './command.js';
import { COMMAND_SUMMARIES } from './catalogue.js';
import { CONFIG_OPTION, localActor, runOnStore, SHORT_ID } from './shared.js';

export const tenantCommand: Command = {
  spec: {
    name: 'tenant',
    summary: COMMAND_SUMMARIES.tenant,
    usage: [
      'basvakt tenant add ID --name NAMN --config FIL | basvakt tenant list --config FIL',
      '       basvakt tenant rules set ID REGEL namn=värde … --reason TEXT [--review DATUM]',
      '       basvakt tenant rules disable|enable|reset ID REGEL --reason TEXT | basvakt tenant rules list ID',
      '       basvakt tenant network-model ID FIL --reason TEXT | basvakt tenant network-model ID --remove --reason TEXT',
      '       basvakt tenant attest ID KONTROLL --outcome met|not_met --evidence REF [--next-review DATUM] --reason TEXT',
      '       basvakt tenant controls ID',
    ].join('\n'),
    positionals: [
      { name: 'add ID | list', help: { sv: 'lägg till en kommun med kort id (t.ex. amal) eller lista alla', en: 'add a tenant with a short id (e.g. amal), or list them' } },
      {
        name: 'rules set|disable|enable|reset|list',
        help: {
          sv: 'kommunens regelinställningar: ändra parametrar (namn=värde), stäng av eller slå på en regel, återställ till standard, lista; varje ändring kräver --reason och hamnar i revisionsloggen',
          en: 'the tenant\'s rule settings: change parameters (name=value), disable or enable a rule, reset to defaults, list; every change needs --reason and is audited',
        },
      },
      { name: 'network-model ID FIL', help: { sv: 'ladda upp eller byt kommunens nätmodell (YAML); fel visas med radnummer', en: 'upload or replace the tenant\'s network model (YAML); problems name their line' } },
      { name: 'attest ID KONTROLL', help: { sv: 'intyga en manuell kontroll (vem, underlag, nästa granskning)', en: 'attest a manual control (who, evidence, next review)' } },
      { name: 'controls ID', help: { sv: 'de manuella kontrollerna och deras intyg', en: 'the manual controls and their attestations' } },
    ],
    options: {
      ...CONFIG_OPTION,
      name: { type: 'string', value: 'NAMN', help: { sv: 'kommunens namn, t.ex. "Åmåls kommun"', en: 'the tenant\'s name' } },
      reason: { type: 'string', value: 'TEXT', help: { sv: 'varför ändringen görs (krävs, minst 10 tecken)', en: 'why the change is made (required, at least 10 characters)' } },
      review: { type: 'string', value: 'DATUM', help: { sv: 'när regelinställningen ska granskas igen (ÅÅÅÅ-MM-DD)', en: 'when the rule setting is to be reviewed (YYYY-MM-DD)' } },
      remove: { type: 'boolean', help: { sv: 'ta bort nätmodellen', en: 'remove the network model' } },
      outcome: { type: 'string', value: 'met|not_met', help: { sv: 'uppfylld (met) eller inte uppfylld (not_met)', en: 'met or not met' } },
      evidence: { type: 'string', value: 'REF', help: { sv: 'var underlaget finns, t.ex. diarienummer', en: 'where the evidence is kept, e.g. a register number' } },
      'next-review': { type: 'string', value: 'DATUM', help: { sv: 'nästa granskning (standard: kontrollens granskningsintervall)', en: 'next review (default: the control\'s review interval)' } },
      format: { type: 'string', value: 'table|json', help: { sv: 'utdataformat för list och controls (standard table)', en: 'output format of list and controls' } },
    },
    examples: [
      'basvakt tenant add amal --name "Åmåls kommun" --config collector.yaml',
      'basvakt tenant rules set amal BV-AV-002 maxSignatureAgeDays=2 --reason "BITS AV-02: högst två dygn" --config collector.yaml',
      'basvakt tenant rules disable amal BV-FW-001 --reason "brandväggen sköts av kommunalförbundet, avtal 2026/7" --config collector.yaml',
      'basvakt tenant network-model amal /etc/basvakt/network-model.yaml --reason "ny IP-plan 2026" --config collector.yaml',
      'basvakt tenant attest amal BV-PROC-M01 --outcome met --evidence "KS 2026/114" --reason "rutinen fastställd av KS" --config collector.yaml',
    ],
  },
  run(argv, lang) {
    return runOnStore(this.spec, argv, lang, async (store, parsed, config) => {
      const [action, id] = parsed.positionals;
      if (action === 'rules' || action === 'network-model' || action === 'attest' || action === 'controls') {
        const settings = await import('./tenant-settings.js');
        if (action === 'rules') return settings.rulesSubcommand(store, config, parsed.positionals.slice(1), parsed.values, lang);
        if (action === 'network-model') return settings.networkModelSubcommand(store, config, parsed.positionals, parsed.values, lang);
        if (action === 'attest') return settings.attestSubcommand(store, config, parsed.positionals, parsed.values, lang);
        return settings.controlsSubcommand(store, config, parsed.positionals, parsed.values, lang);
      }
      if (action === 'list') {
        for (const t of await store.listTenants()) process.stdout.write(`${t.id}\t${t.name}\n`);
        return 0;
      }
      if (action !== 'add' || !id) throw new UsageError(lang === 'sv' ? 'skriv "tenant add ID --name NAMN", "tenant list", "tenant rules …", "tenant network-model …", "tenant attest …" eller "tenant controls ID"' : 'write "tenant add ID --name NAME", "tenant list", "tenant rules …", "tenant network-model …", "tenant attest …" or "tenant controls ID"');
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
