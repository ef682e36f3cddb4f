import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { silentLogger } from '../../../common/logger.js';
import { buildApi } from '../../../collector/api/server.js';
import { BUNDLED_RULE_DIRS, loadRules, type RuleSet } from '../../../rules/engine/index.js';
import { buildWorld, type World } from '../api/world.js';

/** A kommun's own pack with one manual control, so the tests do not hang on the bundled controls' ids. */
export const TEST_CONTROL = { id: 'AMAL-PROC-M01', reviewMonths: 12 };

export function customPackDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'basvakt-pack-'));
  writeFileSync(
    join(dir, `${TEST_CONTROL.id}.yaml`),
    `id: ${TEST_CONTROL.id}
title:
  sv: Det finns en fastställd incidentrutin
  en: An adopted incident procedure exists
goals: [PROCESS]
severity: high
target: tenant
manual:
  question:
    sv: Finns en incidentrutin som ledningen har fastställt?
    en: Is there an incident procedure adopted by management?
  evidence:
    sv: Beslutet och rutinen i diariet
    en: The decision and the procedure in the register
  reviewMonths: ${TEST_CONTROL.reviewMonths}
sources: ["Åmåls kommuns informationssäkerhetspolicy 2026"]
rationale:
  sv: Utan fastställd rutin vet ingen vem som gör vad vid en incident.
  en: Without an adopted procedure nobody knows who does what in an incident.
remediation:
  sv: Ta fram rutinen och låt kommunstyrelsen fastställa den.
  en: Write the procedure and have the executive board adopt it.
`,
  );
  return dir;
}

/** The bundled rules and the kommun's own pack with TEST_CONTROL (the pack's folder is gone again once loaded). */
export async function rulesWithControl(): Promise<RuleSet> {
  const dir = customPackDir();
  try {
    return await loadRules([...BUNDLED_RULE_DIRS, dir]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The two-kommun world of the API tests, served with the given rules and settings hook. */
export async function settingsWorld(options: { onRuleSettingsChanged?: (tenantId: string, what: 'settings' | 'attestation') => void } = {}): Promise<World & { ruleSet: RuleSet; api: FastifyInstance }> {
  const world = await buildWorld();
  const ruleSet = await rulesWithControl();
  const api = buildApi({ store: world.store, evaluator: { evaluateReport: () => [] }, logger: silentLogger, bodyLimitBytes: 1024 * 1024, version: 'test', now: () => world.clock.now, ruleSet, ...options });
  const base = await api.listen({ host: '127.0.0.1', port: 0 });
  return {
    ...world,
    base,
    ruleSet,
    api,
    async close() {
      await api.close();
      await world.close();
    },
  };
}
