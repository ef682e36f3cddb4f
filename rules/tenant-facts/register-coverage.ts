import type { z } from 'zod';
import type { tenantFacts } from '../../report/facts/tenant.js';
import type { EvaluationTarget } from '../engine/types.js';
import type { RegisteredSystem } from './inputs.js';

export type RegisterCoverage = z.infer<typeof tenantFacts.registerCoverage.value>;

const MAX_NAMES = 100;

/** `app01.amal.se` and `APP01` are the same host to a register written by people. */
const shortName = (name: string) => name.trim().toLowerCase().split('.')[0]!;

/** Hosts the agents report that no register entry covers (GOALS.md OWNER), and the systems offering secure transfer (CRY-05). */
export function registerCoverage(systems: readonly RegisteredSystem[], targets: readonly EvaluationTarget[], incomplete: string[]): RegisterCoverage {
  const covered = new Set(systems.flatMap((s) => s.hosts.map(shortName)));
  const hosts = targets.filter((t) => t.kind === 'host');
  const unregistered = hosts.filter((h) => !covered.has(shortName(h.name)) && !covered.has(shortName(h.id))).map((h) => h.name).sort();
  return {
    systems: systems.length,
    hosts: hosts.length,
    registered: hosts.length - unregistered.length,
    unregistered: unregistered.length,
    unregisteredHosts: unregistered.slice(0, MAX_NAMES),
    incomplete,
    secureTransfer: systems.filter((s) => s.secureTransfer).map((s) => ({ id: s.id, name: s.name, endpointsTls: s.endpointsTls })),
  };
}
