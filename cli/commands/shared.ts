import { loadCollectorConfig } from '../../collector/config/load.js';
import type { CollectorConfig } from '../../collector/config/schema.js';
import { openStore, type Store } from '../../collector/store/index.js';
import { UsageError, parseCommand, renderHelp, stringOption, type CommandSpec } from '../args.js';
import type { Lang } from '../i18n.js';

export const CONFIG_OPTION = {
  config: { type: 'string', short: 'c', value: 'FIL', help: { sv: 'insamlarens konfigurationsfil (YAML)', en: 'collector config file (YAML)' } },
} as const;

/** Parses argv, or prints help and returns undefined when --help was given. */
export function parseOrHelp(spec: CommandSpec, argv: string[], lang: Lang) {
  const parsed = parseCommand(spec, argv, lang);
  if (parsed.values.help) {
    process.stdout.write(renderHelp(spec, lang));
    return undefined;
  }
  return parsed;
}

export async function collectorConfigFrom(values: Record<string, unknown>, lang: Lang): Promise<CollectorConfig> {
  const file = stringOption(values, 'config') ?? process.env.BASVAKT_COLLECTOR_CONFIG;
  if (!file) throw new UsageError(lang === 'sv' ? 'ange insamlarens konfiguration med --config FIL' : 'give the collector config with --config FILE');
  return loadCollectorConfig(file);
}

export async function withStore<T>(config: CollectorConfig, fn: (store: Store) => Promise<T>): Promise<T> {
  const store = await openStore(config.database);
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

/** Who ran an admin command, for the audit trail. */
export function localActor(): string {
  return `cli:${process.env.SUDO_USER ?? process.env.USER ?? 'okänd'}`;
}

/** Short ids of tenants and federations: lowercase a–z, digits and hyphens. */
export const SHORT_ID = /^[a-z0-9][a-z0-9-]{0,62}$/;

type Parsed = NonNullable<ReturnType<typeof parseOrHelp>>;

/**
 * The shape of every admin command on the collector host: parse (or print help), load the
 * collector config, open its database, run, close.
 */
export async function runOnStore(
  spec: CommandSpec,
  argv: string[],
  lang: Lang,
  fn: (store: Store, parsed: Parsed, config: CollectorConfig) => Promise<number>,
): Promise<number> {
  const parsed = parseOrHelp(spec, argv, lang);
  if (!parsed) return 0;
  const config = await collectorConfigFrom(parsed.values, lang);
  return withStore(config, (store) => fn(store, parsed, config));
}
