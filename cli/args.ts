import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { Lang, Localized } from './i18n.js';

export interface OptionSpec {
  type: 'string' | 'boolean';
  multiple?: boolean;
  short?: string;
  /** Shown in help, e.g. FIL or table|json. */
  value?: string;
  help: Localized;
}

export interface CommandSpec {
  name: string;
  summary: Localized;
  usage: string;
  options: Record<string, OptionSpec>;
  positionals?: { name: string; help: Localized }[];
  examples?: string[];
}

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

const COMMON_OPTIONS: Record<string, OptionSpec> = {
  help: { type: 'boolean', short: 'h', help: { sv: 'visa den här hjälpen', en: 'show this help' } },
  lang: { type: 'string', value: 'sv|en', help: { sv: 'språk för utdata (standard sv)', en: 'output language (default sv)' } },
};

export function parseCommand(spec: CommandSpec, argv: string[], lang: Lang) {
  const options = { ...spec.options, ...COMMON_OPTIONS };
  const config: ParseArgsConfig = {
    args: argv,
    allowPositionals: true,
    strict: true,
    options: Object.fromEntries(
      Object.entries(options).map(([name, o]) => [name, { type: o.type, ...(o.multiple ? { multiple: true } : {}), ...(o.short ? { short: o.short } : {}) }]),
    ),
  };
  try {
    const parsed = parseArgs(config);
    return { values: parsed.values as Record<string, string | boolean | string[] | undefined>, positionals: parsed.positionals };
  } catch (error) {
    const message = (error as Error).message;
    const unknown = /Unknown option '([^']+)'/.exec(message);
    if (unknown) throw new UsageError(lang === 'sv' ? `okänd flagga ${unknown[1]} — se basvakt ${spec.name} --help` : `unknown option ${unknown[1]} — see basvakt ${spec.name} --help`);
    const missing = /Option '([^']+)' argument missing/.exec(message);
    if (missing) throw new UsageError(lang === 'sv' ? `flaggan ${missing[1]} behöver ett värde` : `option ${missing[1]} needs a value`);
    throw new UsageError(message);
  }
}

export function renderHelp(spec: CommandSpec, lang: Lang): string {
  const options = { ...spec.options, ...COMMON_OPTIONS };
  const lines = [spec.summary[lang], '', `${lang === 'sv' ? 'Användning' : 'Usage'}: ${spec.usage}`];
  if (spec.positionals?.length) {
    lines.push('', lang === 'sv' ? 'Argument:' : 'Arguments:');
    for (const p of spec.positionals) lines.push(`  ${p.name.padEnd(28)} ${p.help[lang]}`);
  }
  lines.push('', lang === 'sv' ? 'Flaggor:' : 'Options:');
  for (const [name, o] of Object.entries(options)) {
    const flag = `${o.short ? `-${o.short}, ` : ''}--${name}${o.type === 'string' ? ` ${o.value ?? 'VÄRDE'}` : ''}`;
    lines.push(`  ${flag.padEnd(28)} ${o.help[lang]}`);
  }
  if (spec.examples?.length) {
    lines.push('', lang === 'sv' ? 'Exempel:' : 'Examples:', ...spec.examples.map((e) => `  ${e}`));
  }
  return lines.join('\n') + '\n';
}

export function stringOption(values: Record<string, unknown>, name: string): string | undefined {
  const v = values[name];
  return typeof v === 'string' ? v : undefined;
}

export function requireOption(values: Record<string, unknown>, name: string, lang: Lang): string {
  const v = stringOption(values, name);
  if (v === undefined || v === '') throw new UsageError(lang === 'sv' ? `flaggan --${name} krävs` : `option --${name} is required`);
  return v;
}

export function choiceOption<T extends string>(values: Record<string, unknown>, name: string, choices: readonly T[], fallback: T, lang: Lang): T {
  const v = stringOption(values, name) ?? fallback;
  if (!(choices as readonly string[]).includes(v)) {
    throw new UsageError(lang === 'sv' ? `--${name} ska vara en av ${choices.join(', ')}, inte "${v}"` : `--${name} must be one of ${choices.join(', ')}, not "${v}"`);
  }
  return v as T;
}

export function intOption(values: Record<string, unknown>, name: string, fallback: number, lang: Lang): number {
  const v = stringOption(values, name);
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0) throw new UsageError(lang === 'sv' ? `--${name} ska vara ett positivt heltal, inte "${v}"` : `--${name} must be a positive integer, not "${v}"`);
  return n;
}
