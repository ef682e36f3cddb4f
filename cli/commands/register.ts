import { access, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join, basename } from 'node:path';
import { describeProblems } from '../../common/validation.js';
import { InputFileError } from '../../common/yaml.js';
import {
  isCsvFile,
  loadRegister,
  registerToYaml,
  summarizeRegister,
  todayUtc,
  type LoadedRegister,
  type RegisterLoadOptions,
  type RegisterSummary,
} from '../../agent/register/index.js';
import { stringOption, UsageError } from '../args.js';
import type { Lang } from '../i18n.js';
import type { Command } from './command.js';
import { COMMAND_SUMMARIES } from './catalogue.js';
import { parseOrHelp } from './shared.js';

const MAX_LISTED = 8;

function renderSummary(loaded: LoadedRegister, summary: RegisterSummary, lang: Lang): string {
  const sv = lang === 'sv';
  const out = [
    sv
      ? `${loaded.file}: ${summary.systems} system, varav ${summary.businessCritical} verksamhetskritiska; ${summary.singleSignOn} med enkel inloggning (SAML, OIDC eller Kerberos)`
      : `${loaded.file}: ${summary.systems} systems, ${summary.businessCritical} business-critical; ${summary.singleSignOn} with single sign-on (SAML, OIDC or Kerberos)`,
  ];
  const gaps = summary.lines.filter((l) => l.systems.length > 0);
  for (const line of gaps) {
    const names = line.systems.slice(0, MAX_LISTED).join(', ') + (line.systems.length > MAX_LISTED ? ` … (+${line.systems.length - MAX_LISTED})` : '');
    out.push(`  ${line.label[lang]}: ${line.systems.length} — ${names}`);
  }
  if (gaps.length === 0) out.push(sv ? '  inga luckor i registret' : '  no gaps in the register');
  out.push(
    sv
      ? 'Registret är giltigt. Reglerna bedömer det med agentens skanning (basvakt scan --evaluate) eller i insamlaren.'
      : 'The register is valid. The rules judge it in an agent scan (basvakt scan --evaluate) or at the collector.',
  );
  return out.join('\n') + '\n';
}

function reportProblems(error: InputFileError, lang: Lang): void {
  const count = error.problems.length;
  const head = lang === 'sv' ? `${error.file}: ${count} fel — ingenting lästes in` : `${error.file}: ${count} problems — nothing was loaded`;
  process.stderr.write(`${head}\n${describeProblems(error.problems, basename(error.file))}\n`);
}

async function exists(file: string): Promise<boolean> {
  try {
    await access(file);
    return true;
  } catch {
    return false;
  }
}

/** Writes the whole file or nothing: a temporary file beside it, renamed into place. */
async function writeAtomically(file: string, text: string): Promise<void> {
  const temporary = join(dirname(file), `.${basename(file)}.${process.pid}.tmp`);
  try {
    await writeFile(temporary, text, { mode: 0o640, flag: 'wx' });
    await rename(temporary, file);
  } finally {
    await rm(temporary, { force: true });
  }
}

async function readInput(file: string, values: Record<string, unknown>, lang: Lang): Promise<LoadedRegister> {
  const options: RegisterLoadOptions = {};
  const baseFile = stringOption(values, 'base');
  if (baseFile) {
    if (!isCsvFile(file)) throw new UsageError(lang === 'sv' ? '--base gäller bara CSV-filer' : '--base applies to CSV files only');
    if (isCsvFile(baseFile)) throw new UsageError(lang === 'sv' ? '--base ska vara en YAML-fil' : '--base must be a YAML file');
    options.base = await loadRegister(baseFile);
  }
  const loaded = await loadRegister(file, options);
  for (const note of loaded.notes) process.stderr.write(`${lang === 'sv' ? 'obs' : 'note'}: ${note}\n`);
  return loaded;
}

export const registerCommand: Command = {
  spec: {
    name: 'register',
    summary: COMMAND_SUMMARIES.register,
    usage: 'basvakt register check FIL [--base FIL.yaml] | import FIL.csv [--base FIL.yaml] [--output FIL.yaml] [--force]',
    positionals: [
      { name: 'check|import', help: { sv: 'kontrollera ett register (YAML eller CSV) eller gör YAML av ett kalkylblad', en: 'check a register (YAML or CSV) or turn a spreadsheet into YAML' } },
      { name: 'FIL', help: { sv: 'registret: .yaml, eller .csv från Excel (, eller ; som avgränsare)', en: 'the register: .yaml, or .csv from Excel (, or ; separated)' } },
    ],
    options: {
      output: { type: 'string', short: 'o', value: 'FIL', help: { sv: 'import: skriv YAML till filen i stället för standard ut', en: 'import: write the YAML to this file instead of stdout' } },
      force: { type: 'boolean', help: { sv: 'import: skriv över en befintlig fil', en: 'import: overwrite an existing file' } },
      base: {
        type: 'string',
        value: 'FIL',
        help: { sv: 'YAML med tenant, identityProviders och mfaGroups som CSV-filens system använder', en: 'YAML with the tenant, identityProviders and mfaGroups the CSV systems use' },
      },
    },
    examples: [
      'basvakt register check /etc/basvakt/system-register.yaml',
      'basvakt register import systemforteckning.csv --output /etc/basvakt/system-register.yaml',
    ],
  },
  async run(argv, lang) {
    const parsed = parseOrHelp(this.spec, argv, lang);
    if (!parsed) return 0;
    const [action, file, ...extra] = parsed.positionals;
    const sv = lang === 'sv';
    if (action !== 'check' && action !== 'import') {
      throw new UsageError(sv ? 'skriv "register check FIL" eller "register import FIL.csv"' : 'write "register check FILE" or "register import FILE.csv"');
    }
    if (!file || extra.length > 0) throw new UsageError(sv ? `ange en fil: basvakt register ${action} FIL` : `give one file: basvakt register ${action} FILE`);
    const output = stringOption(parsed.values, 'output');
    if (action === 'check' && (output || parsed.values.force)) {
      throw new UsageError(sv ? '--output och --force hör till import' : '--output and --force belong to import');
    }
    if (action === 'import') {
      if (!isCsvFile(file)) throw new UsageError(sv ? 'import läser en .csv-fil; en YAML-fil kontrolleras med register check' : 'import reads a .csv file; check a YAML file with register check');
      if (output && !parsed.values.force && (await exists(output))) {
        throw new UsageError(sv ? `${output} finns redan — välj en annan fil eller lägg till --force` : `${output} exists — choose another file or add --force`);
      }
    }
    let loaded: LoadedRegister;
    try {
      loaded = await readInput(file, parsed.values, lang);
    } catch (error) {
      if (!(error instanceof InputFileError)) throw error;
      reportProblems(error, lang);
      return 1;
    }
    if (action === 'check') {
      process.stdout.write(renderSummary(loaded, summarizeRegister(loaded.register, todayUtc()), lang));
      return 0;
    }
    const yaml = registerToYaml(loaded.register, { source: loaded.file, lines: loaded.lines, date: todayUtc() });
    if (!output) {
      process.stdout.write(yaml);
      return 0;
    }
    await writeAtomically(output, yaml);
    process.stderr.write(
      sv ? `${loaded.register.systems.length} system skrevs till ${output}\n` : `${loaded.register.systems.length} systems written to ${output}\n`,
    );
    return 0;
  },
};
