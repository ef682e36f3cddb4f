import type { Problem } from '../../common/validation.js';
import { validateReport } from '../../report/validate.js';
import type { Evaluator } from '../evaluate/evaluator.js';

/** The part of the evaluator ingest needs; `rulesFor` gives the tenant's rule settings. */
export type ReportJudge = Pick<Evaluator, 'evaluateReport'> & Partial<Pick<Evaluator, 'rulesFor'>>;
import type { Store } from '../store/index.js';
import type { Caller } from './authenticate.js';

export type IngestOutcome =
  | { kind: 'accepted' | 'duplicate'; reportId: string; tenantId: string }
  | { kind: 'invalid'; problems: Problem[] }
  | { kind: 'forbidden'; message: string }
  | { kind: 'conflict'; message: string };

export interface IngestDeps {
  store: Store;
  evaluator: ReportJudge;
  now: () => Date;
  /** Called after a report is stored, e.g. to refresh the tenant's aggregate rules. */
  onAccepted?: (tenantId: string) => void;
}

/**
 * Validates, scopes, judges and stores one report. The tenant comes from the agent's
 * credential, never from the report. Nothing is stored unless the whole report is valid.
 */
export async function ingestReport(deps: IngestDeps, caller: Extract<Caller, { kind: 'agent' }>, body: unknown): Promise<IngestOutcome> {
  const validation = validateReport(body);
  if (!validation.ok) return { kind: 'invalid', problems: validation.problems };
  const report = validation.report;
  if (report.agent.id !== caller.agent.id) {
    return { kind: 'forbidden', message: `rapporten gäller agenten "${report.agent.id}", men skickades med en annan agents inloggning (report agent.id does not match the credential)` };
  }
  const seen = await deps.store.hasReport(report.reportId);
  if (seen) return classifySeen(seen, caller, report.reportId);

  const receivedAt = deps.now();
  const findings = deps.evaluator.evaluateReport(report, receivedAt, await deps.evaluator.rulesFor?.(caller.tenantId));
  const outcome = await deps.store.storeReport({ tenantId: caller.tenantId, agentId: caller.agent.id, report, receivedAt, findings });
  if (outcome === 'conflict') return conflict(report.reportId);
  if (outcome === 'accepted') deps.onAccepted?.(caller.tenantId);
  return { kind: outcome, reportId: report.reportId, tenantId: caller.tenantId };
}

function classifySeen(seen: { tenantId: string; agentId: string }, caller: Extract<Caller, { kind: 'agent' }>, reportId: string): IngestOutcome {
  if (seen.tenantId === caller.tenantId && seen.agentId === caller.agent.id) return { kind: 'duplicate', reportId, tenantId: caller.tenantId };
  return conflict(reportId);
}

function conflict(reportId: string): IngestOutcome {
  return { kind: 'conflict', message: `rapport-id ${reportId} är redan använt av en annan agent (reportId already used by another agent)` };
}
