import { hostname } from 'node:os';
import { createLogger } from '../../common/logger.js';
import { VERSION } from '../../common/version.js';
import { loadAgentConfig } from '../../agent/config/index.js';
import { PROBE_NAMES } from '../../agent/probes/catalogue.js';
import { isolatedProbe } from '../../agent/probes/isolated.js';
import { runAgent } from '../../agent/runtime/index.js';
import { requireOption } from '../args.js';
import type { Command } from './command.js';
import { COMMAND_SUMMARIES } from './catalogue.js';
import { parseOrHelp } from './shared.js';

export const agentCommand: Command = {
  spec: {
    name: 'agent',
    summary: COMMAND_SUMMARIES.agent,
    usage: 'basvakt agent --config FIL [--now]',
    options: {
      config: { type: 'string', short: 'c', value: 'FIL', help: { sv: 'agentens konfiguration (YAML)', en: 'agent config (YAML)' } },
      now: { type: 'boolean', help: { sv: 'kör alla prober en gång direkt vid start', en: 'run every probe once at start' } },
    },
    examples: ['basvakt agent --config /etc/basvakt/agent.yaml'],
  },
  async run(argv, lang) {
    const parsed = parseOrHelp(this.spec, argv, lang);
    if (!parsed) return 0;
    const config = await loadAgentConfig(requireOption(parsed.values, 'config', lang));
    const logger = createLogger({ level: config.log.level });
    // Probes without settings (directory is not prefaulted) or switched off are not started.
    const probes = PROBE_NAMES.filter((name) => config.probes[name]?.enabled === true).map((name) => isolatedProbe(name, config.probes[name]?.options));
    const handle = await runAgent(config, probes, { logger, version: VERSION, hostname: hostname() });
    if (parsed.values.now) for (const probe of probes) await handle.runProbe(probe.name);
    await handle.stopped;
    return 0;
  },
};
