import type { Kysely, Transaction } from 'kysely';
import type { Report } from '../../report/schema.js';
import type { Database } from './schema.js';
import { upsertMany } from './batch.js';
import { resolveEvidence } from './evidence.js';
import { FederationStore } from './federations.js';
import { writeFindings, type TransitionListener } from './findings-writer.js';
import { GroupCommit } from './group-commit.js';
import { inTenant, isPostgres } from './tenant-scope.js';
import type { FindingInput, FindingRow, FindingFilter, FindingStatusRow, StoredAgent } from './types.js';
import { UserStore } from './users.js';
import { WaiverStore } from './waivers.js';

export type { FindingInput, FindingRow, FindingFilter, FindingStatusRow, StoredAgent } from './types.js';
export type { TransitionListener } from './findings-writer.js';

export type EnrollOutcome = { ok: true; tenantId: string } | { ok: false; reason: 'unknown' | 'expired' | 'revoked' | 'used-up' };
export type StoreReportOutcome = 'accepted' | 'duplicate' | 'conflict';

export interface StoreReportInput {
  tenantId: string;
  agentId: string;
  report: Report;
  receivedAt: Date;
  findings: FindingInput[];
}

/**
 * The collector's datastore. Services talk to this interface only; the one
 * implementation below runs on SQLite and PostgreSQL through Kysely.
 */
export class Store {
  private readonly transitionListeners: TransitionListener[] = [];
  /** SQLite: reports arriving together are committed together. PostgreSQL groups commits itself. */
  private readonly reportWriter: GroupCommit<StoreReportInput, void> | undefined;

  readonly users: UserStore;
  readonly federations: FederationStore;
  readonly waivers: WaiverStore;

  constructor(readonly db: Kysely<Database>) {
    this.users = new UserStore(db);
    this.federations = new FederationStore(db);
    this.waivers = new WaiverStore(db);
    this.reportWriter = isPostgres(db) ? undefined : new GroupCommit(db, (trx, input) => this.writeReport(trx, input));
  }

  onTransitions(listener: TransitionListener): void {
    this.transitionListeners.push(listener);
  }

  async close(): Promise<void> {
    await this.reportWriter?.idle();
    await this.db.destroy();
  }

  // Tenants ---------------------------------------------------------------------------

  async createTenant(id: string, name: string, now: Date): Promise<void> {
    await this.db.insertInto('tenants').values({ id, name, created_at: now.toISOString() }).execute();
  }

  async getTenant(id: string) {
    return this.db.selectFrom('tenants').selectAll().where('id', '=', id).executeTakeFirst();
  }

  async listTenants() {
    return this.db.selectFrom('tenants').selectAll().orderBy('id').execute();
  }

  // Enrollment and credentials ------------------------------------------------------------

  async createEnrollmentToken(row: Database['enrollment_tokens']): Promise<void> {
    await this.db.insertInto('enrollment_tokens').values(row).execute();
  }

  /** Consumes one use of an enrollment token and registers the agent, atomically. */
  async enrollAgent(tokenHash: string, agent: Omit<Database['agents'], 'tenant_id' | 'last_seen_at' | 'revoked_at'>, now: Date): Promise<EnrollOutcome> {
    return this.db.transaction().execute(async (trx) => {
      const token = await trx.selectFrom('enrollment_tokens').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
      if (!token) return { ok: false, reason: 'unknown' } as const;
      if (token.revoked_at) return { ok: false, reason: 'revoked' } as const;
      if (token.expires_at <= now.toISOString()) return { ok: false, reason: 'expired' } as const;
      const updated = await trx
        .updateTable('enrollment_tokens')
        .set((eb) => ({ uses: eb('uses', '+', 1) }))
        .where('id', '=', token.id)
        .where('uses', '<', token.max_uses)
        .executeTakeFirst();
      if (Number(updated.numUpdatedRows) !== 1) return { ok: false, reason: 'used-up' } as const;
      await trx.insertInto('agents').values({ ...agent, tenant_id: token.tenant_id, last_seen_at: null, revoked_at: null }).execute();
      await appendAudit(trx, token.tenant_id, `agent:${agent.id}`, 'agent.enrolled', { hostname: agent.hostname, tokenId: token.id }, now);
      return { ok: true, tenantId: token.tenant_id } as const;
    });
  }

  async getAgent(id: string): Promise<StoredAgent | undefined> {
    return this.db.selectFrom('agents').selectAll().where('id', '=', id).executeTakeFirst();
  }

  async listAgents(tenantId: string) {
    return inTenant(this.db, tenantId, (db) => db.selectFrom('agents').selectAll().where('tenant_id', '=', tenantId).orderBy('hostname').execute());
  }

  async createApiToken(row: Database['api_tokens']): Promise<void> {
    await this.db.insertInto('api_tokens').values(row).execute();
  }

  async findApiToken(tokenHash: string) {
    return this.db.selectFrom('api_tokens').selectAll().where('token_hash', '=', tokenHash).where('revoked_at', 'is', null).executeTakeFirst();
  }

  // Ingest -------------------------------------------------------------------------------

  async hasReport(reportId: string): Promise<{ tenantId: string; agentId: string } | undefined> {
    const row = await this.db.selectFrom('reports').select(['tenant_id', 'agent_id']).where('report_id', '=', reportId).executeTakeFirst();
    return row ? { tenantId: row.tenant_id, agentId: row.agent_id } : undefined;
  }

  /**
   * Stores a report, its facts and the findings judged from it in one transaction.
   * The caller acknowledges the report only after this resolves, so an acknowledged
   * report is on disk. A report id seen before changes nothing: its insert hits the
   * primary key and the whole write is undone.
   */
  async storeReport(input: StoreReportInput): Promise<StoreReportOutcome> {
    const { tenantId, agentId, report } = input;
    const seen = (existing: { tenantId: string; agentId: string }) => (existing.tenantId === tenantId && existing.agentId === agentId ? 'duplicate' : 'conflict');
    try {
      if (this.reportWriter) await this.reportWriter.submit(input);
      else await inTenant(this.db, tenantId, (trx) => this.writeReport(trx, input));
      return 'accepted';
    } catch (error) {
      // Sent before, or two copies racing: the later one hits the primary key.
      const existing = await this.hasReport(report.reportId);
      if (existing) return seen(existing);
      throw error;
    }
  }

  private async writeReport(trx: Transaction<Database>, input: StoreReportInput): Promise<void> {
    const { tenantId, agentId, report } = input;
    const now = input.receivedAt.toISOString();
    await trx
      .insertInto('reports')
      .values({ report_id: report.reportId, tenant_id: tenantId, agent_id: agentId, created_at: report.createdAt, received_at: now, body: JSON.stringify(report) })
      .execute();
    await upsertMany(
      trx,
      'targets',
      report.targets.map((target) => ({ tenant_id: tenantId, kind: target.kind, id: target.id, name: target.name, agent_id: agentId, last_report_id: report.reportId, last_seen_at: now })),
      ['tenant_id', 'kind', 'id'],
    );
    await upsertMany(
      trx,
      'facts',
      report.targets.flatMap((target) =>
        target.facts.map((fact) => ({
          tenant_id: tenantId,
          target_kind: target.kind,
          target_id: target.id,
          name: fact.name,
          status: fact.status,
          source: fact.source,
          collected_at: fact.collectedAt,
          value: fact.status === 'ok' ? JSON.stringify(fact.value) : null,
          reason: fact.status === 'ok' ? null : fact.reason,
          report_id: report.reportId,
        })),
      ),
      ['tenant_id', 'target_kind', 'target_id', 'name'],
    );
    await writeFindings(trx, tenantId, input.findings, [report], input.receivedAt, this.transitionListeners);
    await trx.updateTable('agents').set({ last_seen_at: now }).where('id', '=', agentId).execute();
  }

  /**
   * Writes findings judged outside ingest: tenant-wide results, or targets judged again from
   * stored reports. Pass those reports as `judgedFrom` and the findings refer to them, with
   * their evidence by reference, as at ingest.
   */
  async replaceFindings(tenantId: string, findings: FindingInput[], now: Date, judgedFrom: readonly Report[] = []): Promise<void> {
    await inTenant(this.db, tenantId, (trx) => writeFindings(trx, tenantId, findings, judgedFrom, now, this.transitionListeners));
  }

  // Reading --------------------------------------------------------------------------------

  /** A tenant's findings with their evidence (values read from the reports they refer to). */
  async listFindings(tenantId: string, filter: FindingFilter = {}): Promise<FindingRow[]> {
    return inTenant(this.db, tenantId, async (trx) => {
      const rows = await selectFindings(trx, tenantId, filter);
      const evidence = await resolveEvidence(trx, rows);
      return rows.map(({ evidence_paths: _paths, ...row }, i) => ({ ...row, evidence: evidence[i]! }));
    });
  }

  /** A tenant's findings without their evidence: no report is read (e.g. for the tenant-wide rules). */
  async listFindingStatuses(tenantId: string, filter: FindingFilter = {}): Promise<FindingStatusRow[]> {
    return inTenant(this.db, tenantId, async (trx) => (await selectFindings(trx, tenantId, filter)).map(({ evidence: _e, evidence_paths: _p, ...row }) => row));
  }

  async listTargets(tenantId: string) {
    return inTenant(this.db, tenantId, (db) => db.selectFrom('targets').selectAll().where('tenant_id', '=', tenantId).orderBy('kind').orderBy('name').execute());
  }

  async countReports(tenantId?: string): Promise<number> {
    let query = this.db.selectFrom('reports').select((eb) => eb.fn.countAll<number>().as('n'));
    if (tenantId) query = query.where('tenant_id', '=', tenantId);
    const row = await query.executeTakeFirstOrThrow();
    return Number(row.n);
  }

  async appendAudit(tenantId: string | null, actor: string, action: string, details: Record<string, unknown>, now: Date): Promise<void> {
    await appendAudit(this.db, tenantId, actor, action, details, now);
  }

  async listAudit(tenantId: string | null) {
    let query = this.db.selectFrom('audit_log').selectAll();
    if (tenantId) query = query.where('tenant_id', '=', tenantId);
    return query.orderBy('id').execute();
  }
}

async function appendAudit(
  db: Kysely<Database> | Transaction<Database>,
  tenantId: string | null,
  actor: string,
  action: string,
  details: Record<string, unknown>,
  now: Date,
): Promise<void> {
  await db.insertInto('audit_log').values({ tenant_id: tenantId, actor, action, details: JSON.stringify(details), at: now.toISOString() }).execute();
}

async function selectFindings(trx: Transaction<Database>, tenantId: string, filter: FindingFilter) {
  let query = trx.selectFrom('findings').selectAll().where('tenant_id', '=', tenantId);
  if (filter.status?.length) query = query.where('status', 'in', filter.status);
  if (filter.ruleIds?.length) query = query.where('rule_id', 'in', filter.ruleIds);
  if (filter.targetKind) query = query.where('target_kind', '=', filter.targetKind);
  if (filter.targetId) query = query.where('target_id', '=', filter.targetId);
  if (filter.severity?.length) query = query.where('severity', 'in', filter.severity);
  const rows = await query.orderBy('rule_id').orderBy('target_name').execute();
  return filter.goal ? rows.filter((r) => (JSON.parse(r.goals) as string[]).includes(filter.goal as string)) : rows;
}
