import { startCollector } from '../../collector/index.js';
import { createLogger } from '../../common/logger.js';
import type { Command } from './command.js';
import { COMMAND_SUMMARIES } from './catalogue.js';
import { CONFIG_OPTION, collectorConfigFrom, parseOrHelp } from './shared.js';

export const collectorCommand: Command = {
  spec: {
    name: 'collector',
    summary: COMMAND_SUMMARIES.collector,
    usage: 'basvakt collector --config FIL',
    options: { ...CONFIG_OPTION },
    examples: ['basvakt collector --config /etc/basvakt/collector.yaml'],
  },
  async run(argv, lang) {
    const parsed = parseOrHelp(this.spec, argv, lang);
    if (!parsed) return 0;
    const config = await collectorConfigFrom(parsed.values, lang);
    const logger = createLogger({ level: config.log.level });
    const collector = await startCollector(config, logger);
    process.stderr.write(lang === 'sv' ? `Insamlaren lyssnar på ${collector.url}\n` : `Collector listening on ${collector.url}\n`);
    await new Promise<void>((resolve) => {
      const stop = () => resolve();
      process.once('SIGTERM', stop);
      process.once('SIGINT', stop);
    });
    logger.info('shutting down');
    await collector.close();
    return 0;
  },
};
