import type { Logger } from 'pino';
import type { AgentCredential } from '../../report/api.js';
import type { Fact, Report, Target } from '../../report/schema.js';
import type { Probe, ProbeContext } from '../probes/probe.js';
import { SpoolFullError } from '../spool/errors.js';
import { AGENT_SPOOL_FACT, type Spool } from '../spool/spool.js';
import { buildReport } from './report.js';

export interface ProbeRunDeps {
  spool: Pick<Spool, 'put' | 'agentSpoolFact'>;
  sender: { trigger(): void };
  credential: () => Promise<AgentCredential>;
  version: string;
  hostname: string;
  context: ProbeContext;
  logger: Logger;
}

/**
 * One scheduled run of a probe: collect → report → spool (durable) → ask the sender to send.
 * A host target (the agent's own host) also gets the `agentSpool` fact, so reports the
 * spool had to refuse reach the collector with the next report that fits.
 */
export function probeRun(probe: Probe, deps: ProbeRunDeps): () => Promise<void> {
  return async () => {
    const logger = deps.logger.child({ probe: probe.name });
    const started = deps.context.now();
    const targets = await probe.collect({ ...deps.context, logger });
    if (targets.length === 0) {
      logger.warn(`Proben ${probe.name} hittade inga mål; ingen rapport skapas (no targets, no report)`);
      return;
    }
    const credential = await deps.credential();
    const report = buildReport(await withFact(targets, () => deps.spool.agentSpoolFact(deps.context.now())), { agentId: credential.agentId, version: deps.version, hostname: deps.hostname, now: deps.context.now() });
    await warnIfInvalid(report, logger);
    try {
      await deps.spool.put(report);
    } catch (error) {
      if (error instanceof SpoolFullError) {
        logger.error({ reportId: report.reportId, reason: error.reason }, error.message);
        return;
      }
      throw error;
    }
    logger.info(
      { reportId: report.reportId, targets: targets.length, ms: deps.context.now().getTime() - started.getTime() },
      `Rapport sparad i spoolen (report spooled)`,
    );
    deps.sender.trigger();
  };
}

/**
 * The collector is the judge (agent and collector may run different versions), so an
 * invalid report is still spooled; the warning tells whoever maintains the probe early.
 */
async function warnIfInvalid(report: Report, logger: Logger): Promise<void> {
  // Loaded on first use: the schemas are sizeable and a one-shot scan does not need them.
  const { validateReport } = await import('../../report/validate.js');
  const result = validateReport(structuredClone(report));
  if (!result.ok) {
    logger.warn({ reportId: report.reportId, problems: result.problems.slice(0, 10) }, 'Rapporten följer inte rapportformatet; insamlaren kommer troligen att avvisa den (report does not validate)');
  }
}

/** The host targets with the fact added (replacing one of that name); others unchanged. */
async function withFact(targets: readonly Target[], fact: () => Promise<Fact>): Promise<Target[]> {
  if (!targets.some((t) => t.kind === 'host')) return [...targets];
  const added = await fact();
  return targets.map((t) => (t.kind === 'host' ? { ...t, facts: [...t.facts.filter((f) => f.name !== added.name), added] } : t));
}

/** A one-shot scan has no spool: its host targets say so, and BV-AGT-001 does not apply. */
function noSpoolFact(now: Date): Fact {
  return {
    name: AGENT_SPOOL_FACT,
    status: 'ok',
    source: 'basvakt scan (engångsskanning utan spool) (one-shot scan, no spool)',
    collectedAt: now.toISOString(),
    value: {
      status: 'none',
      droppedReports: 0,
      droppedTotal: 0,
      oldestDroppedAt: null,
      lastDroppedAt: null,
      lastError: null,
      pendingReports: null,
      maxReports: null,
      bytesUsed: null,
      maxBytes: null,
    },
  };
}

export class ScanError extends Error {
  constructor(readonly failures: { probe: string; message: string }[]) {
    super(
      failures.length === 0
        ? 'Inga prober gav något mål att rapportera (no probe found any target)'
        : `Ingen prob lyckades: ${failures.map((f) => `${f.probe}: ${f.message}`).join('; ')} (no probe succeeded)`,
    );
    this.name = 'ScanError';
  }
}

export interface ScanMeta {
  /** The enrolled agent id, if there is one; a one-shot scan works without enrollment. */
  agentId?: string;
  version: string;
  hostname: string;
}

/** For `basvakt scan`: runs every probe once and returns the report; nothing is spooled or sent. */
export async function scanOnce(probes: readonly Probe[], context: ProbeContext, meta: ScanMeta): Promise<Report> {
  const targets: Target[] = [];
  const failures: { probe: string; message: string }[] = [];
  for (const probe of probes) {
    try {
      targets.push(...(await probe.collect({ ...context, logger: context.logger.child({ probe: probe.name }) })));
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      failures.push({ probe: probe.name, message });
      context.logger.error({ probe: probe.name, err: error }, `Proben ${probe.name} misslyckades (probe failed)`);
    }
  }
  if (targets.length === 0) throw new ScanError(failures);
  return buildReport(await withFact(targets, async () => noSpoolFact(context.now())), { agentId: meta.agentId ?? 'local-scan', version: meta.version, hostname: meta.hostname, now: context.now() });
}
