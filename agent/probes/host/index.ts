import { hostname } from 'node:os';
import type { HostProbeOptions } from '../../config/schema.js';
import type { Probe } from '../probe.js';
import { linuxHostProbe } from './linux/index.js';
import { windowsHostProbe } from './windows/index.js';

/**
 * The host probe for the platform the agent runs on. Elsewhere it reports one target
 * whose facts are all `unsupported`, so the rules say unknown rather than pass.
 */
export function createHostProbe(options: HostProbeOptions = {}, platform: NodeJS.Platform = process.platform): Probe {
  if (platform === 'win32') return { ...windowsHostProbe, name: 'host' };
  const linux = linuxHostProbe({ timeoutMs: options.timeoutSeconds !== undefined ? options.timeoutSeconds * 1000 : undefined, clamav: options.clamav }, hostname());
  if (platform === 'linux') return { ...linux, name: 'host' };
  return {
    name: 'host',
    async collect(ctx) {
      const at = ctx.now().toISOString();
      return [
        {
          kind: 'host',
          id: hostname(),
          name: hostname(),
          facts: [{ name: 'os', status: 'unsupported', source: 'basvakt host probe', collectedAt: at, reason: `plattformen ${platform} stöds inte ännu (platform not supported yet)` }],
        },
      ];
    },
  };
}
