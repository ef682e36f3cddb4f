import type { Logger } from 'pino';
import type { Report } from '../../report/schema.js';
import type { EvaluationTarget, RuleSet } from '../../rules/engine/index.js';
import { Evaluator } from '../evaluate/evaluator.js';
import type { FindingInput, Store } from '../store/index.js';
import { tenantSettingsStore } from '../store/tenant-settings.js';
import { inTenant } from '../store/tenant-scope.js';
import type { TenantRules } from './tenant-settings.js';
import { TenantRuleCache } from './tenant-rules.js';

/** What re-judging needs of the evaluator. */
export interface TenantJudge {
  rulesFor(tenantId: string): Promise<TenantRules>;
  /** Judges targets as ingest would, with the tenant's rules. */
  judgeTargets(targets: readonly EvaluationTarget[], now: Date, rules: TenantRules): FindingInput[];
  /** Tenant-wide results: aggregate rules and manual controls. */
  refreshAggregates(store: Store, tenantId: string, now: Date): Promise<unknown>;
}

/** Reports read per step; each step's findings are written in one transaction. */
const REPORTS_PER_STEP = 50;
/**
 * A report judged on another replica just before a settings change committed may be stored
 * just after this re-judge read its target; targets seen this shortly before the re-judge
 * began are judged once more at the end.
 */
const CATCH_UP_MS = 60_000;

/**
 * Judges a tenant's stored facts again with its current settings: each target from the
 * report it was last seen in, at the time that report arrived (as ingest judged it), then
 * the tenant-wide results. Records the settings version the findings now reflect.
 */
export async function rejudgeTenant(store: Store, judge: TenantJudge, tenantId: string, now: Date): Promise<{ targets: number; findings: number; version: number }> {
  const rules = await judge.rulesFor(tenantId);
  const all = await store.listTargets(tenantId);
  let findings = await judgeFromReports(store, judge, tenantId, all, rules, now);
  const since = new Date(now.getTime() - CATCH_UP_MS).toISOString();
  const recent = (await store.listTargets(tenantId)).filter((t) => t.last_seen_at >= since);
  if (recent.length > 0) findings += await judgeFromReports(store, judge, tenantId, recent, rules, now);
  await judge.refreshAggregates(store, tenantId, now);
  await tenantSettingsStore(store).markJudged(tenantId, rules.version, now);
  return { targets: all.length, findings, version: rules.version };
}

type TargetRow = Awaited<ReturnType<Store['listTargets']>>[number];

async function judgeFromReports(store: Store, judge: TenantJudge, tenantId: string, targets: readonly TargetRow[], rules: TenantRules, now: Date): Promise<number> {
  const latest = new Set(targets.map((t) => `${t.kind}\u0000${t.id}\u0000${t.last_report_id}`));
  const reportIds = [...new Set(targets.map((t) => t.last_report_id))].sort();
  let written = 0;
  for (let i = 0; i < reportIds.length; i += REPORTS_PER_STEP) {
    const ids = reportIds.slice(i, i + REPORTS_PER_STEP);
    const reports = await inTenant(store.db, tenantId, (trx) => trx.selectFrom('reports').select(['report_id', 'body', 'received_at']).where('tenant_id', '=', tenantId).where('report_id', 'in', ids).execute());
    const findings: FindingInput[] = [];
    const judgedFrom: Report[] = [];
    for (const row of reports) {
      const report = JSON.parse(row.body) as Report;
      judgedFrom.push(report);
      // Only the targets whose latest report this is: a newer report of a target judged it already.
      const current = report.targets.filter((t) => latest.has(`${t.kind}\u0000${t.id}\u0000${row.report_id}`));
      findings.push(...judge.judgeTargets(current, new Date(row.received_at), rules));
    }
    // With the reports, the findings keep their evidence by reference, as ingest stores it.
    if (findings.length > 0) await store.replaceFindings(tenantId, findings, now, judgedFrom);
    written += findings.length;
  }
  return written;
}

/**
 * Re-judges tenants one at a time in the background after their settings changed, so a
 * settings request returns at once however large the tenant. Until it is done the
 * tenant's settings version is ahead of its judged version and the views say the results
 * are being updated. A replica that stops half-way leaves that mark; `resumeStale` at
 * start-up finishes the work.
 */
export class Rejudger {
  private readonly pending = new Map<string, 'settings' | 'attestation'>();
  private running: Promise<void> = Promise.resolve();

  constructor(
    private readonly store: Store,
    private readonly judge: TenantJudge,
    private readonly logger: Logger,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** `attestation` re-judges only the tenant-wide results; `settings` every target. */
  schedule(tenantId: string, what: 'settings' | 'attestation' = 'settings'): void {
    if (this.pending.get(tenantId) !== 'settings') this.pending.set(tenantId, what);
    this.running = this.running.then(() => this.drain());
  }

  /** Resolves when everything scheduled so far is done. */
  idle(): Promise<void> {
    return this.running;
  }

  async resumeStale(): Promise<void> {
    for (const tenantId of await tenantSettingsStore(this.store).staleTenants()) this.schedule(tenantId);
    await this.idle();
  }

  private async drain(): Promise<void> {
    for (const [tenantId, what] of [...this.pending]) {
      this.pending.delete(tenantId);
      try {
        if (what === 'settings') {
          const done = await rejudgeTenant(this.store, this.judge, tenantId, this.now());
          this.logger.info({ tenantId, ...done }, 'findings judged again with the tenant rule settings');
        } else {
          await this.judge.refreshAggregates(this.store, tenantId, this.now());
        }
      } catch (error) {
        this.logger.error({ err: error, tenantId }, 'findings could not be judged again; they stay marked stale');
      }
    }
  }
}

/** For the command line, which changes settings with no collector running: judge again at once. */
export async function rejudgeNow(store: Store, ruleSet: RuleSet, tenantId: string, what: 'settings' | 'attestation', now: Date): Promise<{ findings: number }> {
  const evaluator = new Evaluator(ruleSet, {}, new TenantRuleCache(store, ruleSet));
  if (what === 'attestation') return { findings: (await evaluator.refreshAggregates(store, tenantId, now)).length };
  return rejudgeTenant(store, evaluator, tenantId, now);
}
