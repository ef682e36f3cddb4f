import type { TargetKind } from '../schema.js';
import { directoryFacts } from './directory.js';
import { hostFacts } from './host.js';
import { segmentFacts } from './segment.js';
import { switchFacts } from './switch.js';
import { webFacts } from './web.js';
import { registerFacts } from './register.js';
import { tenantFacts } from './tenant.js';
import type { FactSpec, FactSpecs } from './spec.js';

export type { FactSpec, FactSpecs, LocalizedText } from './spec.js';

/**
 * Every fact basvakt knows, per kind of target. A report may only carry facts listed
 * here; their values are validated against these specs on ingest.
 */
export const FACT_CATALOGUE: Record<TargetKind, FactSpecs> = {
  host: hostFacts,
  directory: directoryFacts,
  switch: switchFacts,
  segment: segmentFacts,
  system: { ...registerFacts, ...webFacts },
  tenant: tenantFacts,
};

export function factSpec(kind: TargetKind, name: string): FactSpec | undefined {
  const specs = FACT_CATALOGUE[kind];
  return Object.hasOwn(specs, name) ? specs[name] : undefined;
}
