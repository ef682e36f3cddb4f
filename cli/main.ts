#!/usr/bin/env node
import { InputFileError } from '../common/yaml.js';
import { VERSION } from '../common/version.js';
import { UsageError } from './args.js';
import { pickLang, type Lang } from './i18n.js';
import { COMMAND_LOADERS, COMMAND_SUMMARIES, type CommandName } from './commands/catalogue.js';

function topHelp(lang: Lang): string {
  const head =
    lang === 'sv'
      ? `basvakt ${VERSION} — säkerhetsläget i kommunens IT-miljö mot Mål 2007 och BITS\n\nAnvändning: basvakt <kommando> [flaggor]\n\nKommandon:`
      : `basvakt ${VERSION} — municipal IT security posture against the 2007 goals and BITS\n\nUsage: basvakt <command> [options]\n\nCommands:`;
  const rows = Object.entries(COMMAND_SUMMARIES).map(([name, summary]) => `  ${name.padEnd(12)} ${summary[lang]}`);
  const tail =
    lang === 'sv'
      ? '\nHjälp för ett kommando: basvakt <kommando> --help\nEngelska: --lang en eller BASVAKT_LANG=en'
      : '\nHelp for a command: basvakt <command> --help\nSwedish is the default; English with --lang en or BASVAKT_LANG=en';
  return [head, ...rows, tail].join('\n') + '\n';
}

export async function main(argv: string[]): Promise<number> {
  const lang = pickLang(argv);
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(topHelp(lang));
    return name ? 0 : 2;
  }
  if (name === '--version' || name === 'version') {
    process.stdout.write(`${VERSION}\n`);
    return 0;
  }
  if (!Object.hasOwn(COMMAND_LOADERS, name)) {
    process.stderr.write(lang === 'sv' ? `okänt kommando "${name}"\n\n` : `unknown command "${name}"\n\n`);
    process.stderr.write(topHelp(lang));
    return 2;
  }
  try {
    const command = await COMMAND_LOADERS[name as CommandName]();
    return await command.run(rest, lang);
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`basvakt ${name}: ${error.message}\n`);
      return 2;
    }
    if (error instanceof InputFileError) {
      process.stderr.write(`basvakt ${name}: ${lang === 'sv' ? 'fel i' : 'error in'} ${error.file}:\n${error.message}\n`);
      return 2;
    }
    process.stderr.write(`basvakt ${name}: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}

const isEntryPoint = process.argv[1] !== undefined && import.meta.url === (await import('node:url')).pathToFileURL((await import('node:fs')).realpathSync(process.argv[1])).href;
if (isEntryPoint) {
  process.exitCode = await main(process.argv.slice(2));
}
