import { hostname } from 'node:os';
import { writeFile } from 'node:fs/promises';
import { createLogger } from '../../common/logger.js';
import { VERSION } from '../../common/version.js';
import { createProbe, PROBE_NAMES, withRegister, type ProbeName, type ProbeOptions } from '../../agent/probes/catalogue.js';
import { scanOnce } from '../../agent/runtime/collect.js';
import { createProbeContext } from '../../agent/runtime/context.js';
import { choiceOption, stringOption, UsageError } from '../args.js';
import type { Lang } from '../i18n.js';
import { renderReportTable } from '../format/report.js';
import type { evaluateLocally } from '../local-evaluation.js';
import type { Command } from './command.js';
import { COMMAND_SUMMARIES } from './catalogue.js';
import { parseOrHelp } from './shared.js';
import { ADHOC_PROBES } from './scan-adhoc/index.js';

const PROBES = PROBE_NAMES;

export const scanCommand: Command = {
  spec: {
    name: 'scan',
    summary: COMMAND_SUMMARIES.scan,
    usage: 'basvakt scan [--config FIL] [--probe host] [--register FIL] [--format table|json] [--evaluate] [--output FIL]',
    options: {
      config: { type: 'string', short: 'c', value: 'FIL', help: { sv: 'agentens konfiguration (valfri; ger probernas inställningar)', en: 'agent config (optional; probe settings)' } },
      probe: { type: 'string', multiple: true, value: PROBES.join('|'), help: { sv: 'kör bara den här proben; kan upprepas eller kommasepareras (standard: alla)', en: 'run only this probe; repeatable or comma-separated (default: all)' } },
      register: { type: 'string', value: 'FIL', help: { sv: 'systemförteckningen (YAML eller CSV): webbproben granskar systemen, katalogproben läser deras grupper', en: 'the system register (YAML or CSV): the web probe examines its systems, the directory probe reads their groups' } },
      format: { type: 'string', value: 'table|json', help: { sv: 'utdataformat (standard table)', en: 'output format (default table)' } },
      evaluate: { type: 'boolean', help: { sv: 'bedöm rapporten med de medföljande regelpaketen', en: 'judge the report with the bundled rule packs' } },
      rules: { type: 'string', multiple: true, value: 'MAPP', help: { sv: 'egna regelpaket utöver de medföljande (kan upprepas)', en: 'extra rule-pack folder (repeatable)' } },
      output: { type: 'string', short: 'o', value: 'FIL', help: { sv: 'skriv till fil i stället för standard ut', en: 'write to a file instead of stdout' } },
      all: { type: 'boolean', help: { sv: 'visa även godkända resultat i tabellen', en: 'also list passing results in the table' } },
      ...Object.assign({}, ...ADHOC_PROBES.map((a) => a.options)),
    },
    examples: [
      'basvakt scan --evaluate',
      'basvakt scan --probe host --evaluate --format json > resultat.json',
      'basvakt scan --config /etc/basvakt/agent.yaml --register systemforteckning.yaml --probe web,directory --evaluate',
    ],
  },
  async run(argv, lang) {
    const parsed = parseOrHelp(this.spec, argv, lang);
    if (!parsed) return 0;
    const format = choiceOption(parsed.values, 'format', ['table', 'json'] as const, 'table', lang);
    const probeNames = ((parsed.values.probe as string[] | undefined) ?? []).flatMap((p) => p.split(',')).map((p) => p.trim()).filter(Boolean);
    for (const probeName of probeNames) {
      if (!(PROBES as readonly string[]).includes(probeName)) {
        throw new UsageError(lang === 'sv' ? `okänd prob "${probeName}" — finns: ${PROBES.join(', ')}` : `unknown probe "${probeName}" — available: ${PROBES.join(', ')}`);
      }
    }
    const configFile = stringOption(parsed.values, 'config');
    const config = configFile ? await (await import('../../agent/config/index.js')).loadAgentConfig(configFile) : undefined;
    const registerFile = stringOption(parsed.values, 'register') ?? config?.register;
    // Read before scanning, so a broken register fails fast with its lines.
    if (registerFile) await (await import('../../agent/register/load.js')).loadRegister(registerFile);
    const logger = createLogger({ level: process.env.BASVAKT_LOG_LEVEL ?? 'warn' });
    const settings = (config?.probes ?? {}) as Partial<Record<ProbeName, { enabled: boolean; options?: ProbeOptions }>>;
    const chosen: { name: ProbeName; options: ProbeOptions }[] = [];
    for (const name of PROBES) {
      // With --probe only the chosen probe reads the flags: --url is a directory to one and a login page to another.
      const readsFlags = probeNames.length === 0 || (probeNames.length === 1 && probeNames[0] === name);
      const adhoc = readsFlags ? await ADHOC_PROBES.find((a) => a.probe === name)?.fromFlags(parsed.values, lang) : undefined;
      const configured = settings[name];
      // Without --probe: the host, and every other probe that is configured, given flags or fed by the register.
      const wanted = probeNames.length > 0 ? probeNames.includes(name) : name === 'host' || adhoc !== undefined || configured?.enabled === true || (name === 'web' && registerFile !== undefined);
      if (wanted) chosen.push({ name, options: withRegister(name, adhoc ?? configured?.options, registerFile) });
    }
    const selected = await Promise.all(chosen.map(({ name, options }) => createProbe(name, options)));
    // Read before scanning, so a broken model file fails fast with its line numbers.
    const modelFile = stringOption(parsed.values, 'network-model');
    const networkModel = modelFile ? await (await import('../../rules/network-model.js')).loadNetworkModelWithParams(modelFile) : undefined;

    const report = await scanOnce(selected, createProbeContext(logger), { version: VERSION, hostname: hostname() });
    // The rule engine is loaded only when asked for, to keep a plain scan small.
    const evaluation = parsed.values.evaluate
      ? await (await import('../local-evaluation.js')).evaluateLocally(report, (parsed.values.rules as string[] | undefined) ?? [], new Date(), networkModel)
      : undefined;

    const text =
      format === 'json'
        ? JSON.stringify(evaluation ? { report, findings: evaluation.results } : report, null, 2) + '\n'
        : await renderScan(report, evaluation, lang, Boolean(parsed.values.all));
    const output = stringOption(parsed.values, 'output');
    if (output) await writeFile(output, text, { mode: 0o640 });
    else process.stdout.write(text);
    return 0;
  },
};


async function renderScan(report: Parameters<typeof renderReportTable>[0], evaluation: Awaited<ReturnType<typeof evaluateLocally>> | undefined, lang: Lang, showPassing: boolean): Promise<string> {
  const facts = renderReportTable(report, lang);
  if (!evaluation) return facts;
  const { renderFindingsTable } = await import('../format/findings.js');
  const { ruleTextLookup } = await import('../local-evaluation.js');
  const heading = lang === 'sv' ? `Bedömning av ${report.agent.hostname}, ${report.createdAt}` : `Findings for ${report.agent.hostname}, ${report.createdAt}`;
  return `${facts}\n${renderFindingsTable({ findings: evaluation.results, heading, showPassing, ...ruleTextLookup(evaluation.ruleSet) }, lang)}`;
}
