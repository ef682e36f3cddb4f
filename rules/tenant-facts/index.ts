import type { Fact } from '../../report/schema.js';
import type { EvaluationTarget } from '../engine/types.js';
import { identityCoverage } from './identity-coverage.js';
import { directories, failedFact, registeredSystem } from './inputs.js';
import { registerCoverage } from './register-coverage.js';

export { SENSITIVE_FROM } from './identity-coverage.js';

const NO_REGISTER = 'ingen systemförteckning har rapporterats — ange register i agentens inställning (no system register reported)';

/**
 * The tenant target: facts that only exist across targets (coverage counted in people,
 * hosts outside the register), derived from the latest facts of every target. The same
 * function serves the collector and a local `basvakt scan --evaluate`.
 */
export function tenantTarget(tenantId: string, tenantName: string, targets: readonly EvaluationTarget[], now: Date): EvaluationTarget {
  const systemTargets = targets.filter((t) => t.kind === 'system');
  const systems = systemTargets.map(registeredSystem).filter((s) => s !== undefined);
  const collectedAt = now.toISOString();
  const unreadable = systemTargets.flatMap((t) => {
    const failed = failedFact(t, 'register');
    return failed ? [`${t.name}: systemförteckningen (register): ${failed.reason}`] : [];
  });
  const derived = (name: string, source: string, value: () => unknown): Fact => {
    if (systems.length === 0) {
      return { name, status: 'error', source, collectedAt, reason: unreadable.length > 0 ? unreadable.join('; ').slice(0, 4000) : NO_REGISTER };
    }
    return { name, status: 'ok', source, collectedAt, value: value() };
  };
  const directoryCount = targets.filter((t) => t.kind === 'directory').length;
  return {
    kind: 'tenant',
    id: tenantId,
    name: tenantName,
    facts: [
      derived('identityCoverage', `basvakt: systemförteckningen (${systems.length} system) × gruppmedlemmar i ${directoryCount} katalog(er)`, () => {
        const coverage = identityCoverage(systems, directories(targets));
        coverage.sso.incomplete.unshift(...unreadable);
        coverage.mfa.incomplete.unshift(...unreadable);
        return coverage;
      }),
      derived('registerCoverage', `basvakt: systemförteckningen (${systems.length} system) × agenternas värdar`, () => registerCoverage(systems, targets, unreadable)),
    ],
  };
}
