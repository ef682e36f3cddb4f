import { hostname } from 'node:os';
import type { HostProbeOptions } from '../../config/schema.js';
import type { Probe } from '../probe.js';

/**
 * The host probe for the platform the agent runs on; only that platform's code is loaded.
 * Elsewhere it reports one target whose facts are `unsupported`, so rules say unknown.
 */
export function createHostProbe(options: HostProbeOptions = {}, platform: NodeJS.Platform = process.platform): Probe {
  return {
    name: 'host',
    async collect(ctx) {
      if (platform === 'win32') return (await import('./windows/index.js')).windowsHostProbe.collect(ctx);
      if (platform === 'linux') {
        const { linuxHostProbe } = await import('./linux/index.js');
        const timeoutMs = options.timeoutSeconds !== undefined ? options.timeoutSeconds * 1000 : undefined;
        return linuxHostProbe({ timeoutMs, clamav: options.clamav }, hostname()).collect(ctx);
      }
      const at = ctx.now().toISOString();
      const reason = `plattformen ${platform} stöds inte ännu (platform not supported yet)`;
      return [{ kind: 'host', id: hostname(), name: hostname(), facts: [{ name: 'os', status: 'unsupported', source: 'basvakt host probe', collectedAt: at, reason }] }];
    },
  };
}
