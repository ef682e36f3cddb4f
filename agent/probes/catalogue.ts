import type { AgentConfig } from '../config/schema.js';
import type { Probe } from './probe.js';

/** The probes the agent knows, by the name used under `probes:` in its config. */
export const PROBE_NAMES = ['host'] as const;
export type ProbeName = (typeof PROBE_NAMES)[number];

export type ProbeOptions = AgentConfig['probes'][ProbeName]['options'];

/** Builds a probe in this process. Loaded lazily: probe code is heavy and the daemon runs it in a worker. */
export async function createProbe(name: ProbeName, options: ProbeOptions): Promise<Probe> {
  switch (name) {
    case 'host':
      return (await import('./host/index.js')).createHostProbe(options);
  }
}
