import type { AgentConfig } from '../config/schema.js';
import type { Probe } from './probe.js';

/** The probes the agent knows, by the name used under `probes:` in its config. */
export const PROBE_NAMES = ['host', 'directory', 'network', 'reach', 'web'] as const;
export type ProbeName = (typeof PROBE_NAMES)[number];

type ProbeSettingsOf<N extends ProbeName> = NonNullable<AgentConfig['probes'][N]>;
export type ProbeOptions = { [N in ProbeName]: ProbeSettingsOf<N>['options'] }[ProbeName];

/**
 * Builds a probe in this process. Each probe's code is loaded only when it is used: it is
 * heavy, and the daemon runs probes in a worker process (isolated.ts).
 */
export async function createProbe(name: ProbeName, options: ProbeOptions): Promise<Probe> {
  switch (name) {
    case 'host':
      return (await import('./host/index.js')).createHostProbe(options as ProbeSettingsOf<'host'>['options']);
    case 'directory':
      return (await import('./directory/index.js')).createDirectoryProbe(options as ProbeSettingsOf<'directory'>['options']);
    case 'network':
      return (await import('./network/index.js')).createNetworkProbe(options as ProbeSettingsOf<'network'>['options']);
    case 'reach':
      return (await import('./reach/index.js')).createReachProbe(options as ProbeSettingsOf<'reach'>['options']);
    case 'web':
      return (await import('./web/index.js')).createWebProbe(options as ProbeSettingsOf<'web'>['options']);
  }
}

/**
 * A probe's options with the system register's path added, for the probes that read it: the
 * web probe examines its systems, the directory probe resolves their user and MFA groups.
 */
export function withRegister(name: ProbeName, options: ProbeOptions, register: string | undefined): ProbeOptions {
  if (!register) return options;
  if (name === 'web') return { ...(options as ProbeSettingsOf<'web'>['options']), register };
  if (name === 'directory' && Array.isArray(options)) return (options as ProbeSettingsOf<'directory'>['options'] & unknown[]).map((entry) => ({ ...entry, register }));
  return options;
}
