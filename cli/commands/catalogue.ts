import type { Localized } from '../i18n.js';
import type { Command } from './command.js';

/** One line per command for the top-level help; kept here so help loads no command code. */
export const COMMAND_SUMMARIES = {
  scan: { sv: 'Skanna nu och skriv ut rapporten, med --evaluate även bedömningen (ingen insamlare behövs)', en: 'Scan now and print the report; with --evaluate also the findings (no collector needed)' },
  agent: { sv: 'Kör agenten som tjänst: schemalagda skanningar, kö på disk och sändning till insamlaren', en: 'Run the agent daemon: scheduled scans, disk spool, delivery to the collector' },
  enroll: { sv: 'Anslut agenten till insamlaren: byt en anslutningsnyckel mot agentens egen inloggning', en: 'Enroll the agent: trade an enrollment token for its own credential' },
  collector: { sv: 'Kör insamlaren: tar emot rapporter, bedömer dem och lagrar resultaten', en: 'Run the collector: receive, judge and store reports' },
  tenant: { sv: 'Organisationer (kommuner): lägg till och lista, regelinställningar, nätmodell och intyg av manuella kontroller', en: 'Tenants (municipalities): add and list, rule settings, network model and attestations of manual controls' },
  token: { sv: 'Skapa anslutningsnycklar för agenter och API-nycklar', en: 'Create agent enrollment tokens and API tokens' },
  findings: { sv: 'Visa resultaten för en organisation, grupperade per mål', en: 'Show a tenant\'s findings, grouped by goal' },
  rules: { sv: 'Regelpaket: kontrollera (lint), kör testfallen (test), lista (list), ramverkens täckning (coverage) och regelkatalogen (catalogue)', en: 'Rule packs: lint, run the test cases, list, framework coverage and the rule catalogue' },
  schema: { sv: 'Skriv ut rapportformatet som JSON Schema', en: 'Print the report format as JSON Schema' },
  demo: { sv: 'Visa hela kedjan på den här datorn: insamlare på SQLite, ansluten agent, skanning och resultat', en: 'Show the whole chain on this machine: collector on SQLite, enrolled agent, scan and findings' },
  federation: { sv: 'Samverkan: grupper av kommuner som delar nät (IT-chefsgruppen ser dem sida vid sida)', en: 'Federations: groups of tenants sharing a network' },
  user: { sv: 'Användare och roller i insamlaren (lokalt lösenord eller inloggning mot kommunens katalog)', en: 'Users and roles (local password or LDAP bind)' },
  audit: { sv: 'Visa eller exportera revisionsloggen: inloggningar och alla ändringar', en: 'Show or export the audit trail' },
  register: { sv: 'Systemförteckningen: kontrollera den (check) eller gör YAML av ett kalkylblad i CSV (import)', en: 'The system register: check it, or import a CSV spreadsheet as YAML' },
} satisfies Record<string, Localized>;

export type CommandName = keyof typeof COMMAND_SUMMARIES;

/** Commands load their modules only when run, so the agent daemon never loads the collector's code. */
export const COMMAND_LOADERS: Record<CommandName, () => Promise<Command>> = {
  scan: async () => (await import('./scan.js')).scanCommand,
  agent: async () => (await import('./agent.js')).agentCommand,
  enroll: async () => (await import('./enroll.js')).enrollCommand,
  collector: async () => (await import('./collector.js')).collectorCommand,
  tenant: async () => (await import('./tenant.js')).tenantCommand,
  token: async () => (await import('./token.js')).tokenCommand,
  findings: async () => (await import('./findings.js')).findingsCommand,
  rules: async () => (await import('./rules.js')).rulesCommand,
  schema: async () => (await import('./schema.js')).schemaCommand,
  demo: async () => (await import('./demo.js')).demoCommand,
  federation: async () => (await import('./federation.js')).federationCommand,
  user: async () => (await import('./user.js')).userCommand,
  audit: async () => (await import('./audit.js')).auditCommand,
  register: async () => (await import('./register.js')).registerCommand,
};
