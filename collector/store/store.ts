import type { Kysely, Transaction } from 'kysely';
import type { Report } from '../../report/schema.js';
import type { Database } from './schema.js';
import { classifyTransition, type FindingTransition } from '../lifecycle/transitions.js';
import { FederationStore } from './federations.js';
import { inTenant } from './tenant-scope.js';
import type { FindingInput, FindingRow, FindingFilter, StoredAgent } from './types.js';
import { UserStore } from './users.js';
import { WaiverStore } from './waivers.js';

export type { FindingInput, FindingRow, FindingFilter, StoredAgent } from './types.js';

export type EnrollOutcome = { ok: true; tenantId: string } | { ok: false; reason: 'unknown' | 'expired' | 'revoked' | 'used-up' };
export type StoreReportOutcome = 'accepted' | 'duplicate' | 'conflict';

/**
 * Called inside the transaction that changes findings, with every change of status, so
 * that what it writes (alerts in the outbox) is committed together with the change.
 */
export type TransitionListener = (trx: Transaction<Database>, tenantId: string, transitions: readonly FindingTransition[]) => Promise<void>;

/**
 * The collector's datastore. Services talk to this interface only; the one
 * implementation below runs on SQLite and PostgreSQL through Kysely.
 */
export class Store {
  private readonly transitionListeners: TransitionListener[] = [];

  readonly users: UserStore;
  readonly federations: FederationStore;
  readonly waivers: WaiverStore;

  constructor(readonly db: Kysely<Database>) {
    this.users = new UserStore(db);
    this.federations = new FederationStore(db);
    this.waivers = new WaiverStore(db);
  }

  onTransitions(listener: TransitionListener): void {
    this.transitionListeners.push(listener);
  }

  async close(): Promise<void> {
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
   * report is on disk. A report id seen before changes nothing.
   */
  async storeReport(input: { tenantId: string; agentId: string; report: Report; receivedAt: Date; findings: FindingInput[] }): Promise<StoreReportOutcome> {
    const { tenantId, agentId, report, receivedAt } = input;
    const now = receivedAt.toISOString();
    const seen = (existing: { tenantId: string; agentId: string }) => (existing.tenantId === tenantId && existing.agentId === agentId ? 'duplicate' : 'conflict');
    const existing = await this.hasReport(report.reportId);
    if (existing) return seen(existing);
    try {
      return await inTenant(this.db, tenantId, async (trx) => {
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
        await upsertFindings(trx, tenantId, input.findings, report.reportId, receivedAt, this.transitionListeners);
        await trx.updateTable('agents').set({ last_seen_at: now }).where('id', '=', agentId).execute();
        return 'accepted' as const;
      });
    } catch (error) {
      // Two copies of one report racing: the loser hits the primary key.
      const raced = await this.hasReport(report.reportId);
      if (raced) return seen(raced);
      throw error;
    }
  }

  async replaceFindings(tenantId: string, findings: FindingInput[], now: Date): Promise<void> {
    await inTenant(this.db, tenantId, (trx) => upsertFindings(trx, tenantId, findings, null, now, this.transitionListeners));
  }

  // Reading --------------------------------------------------------------------------------

  async listFindings(tenantId: string, filter: FindingFilter = {}): Promise<FindingRow[]> {
    return inTenant(this.db, tenantId, async (db) => {
      let query = db.selectFrom('findings').selectAll().where('tenant_id', '=', tenantId);
      if (filter.status?.length) query = query.where('status', 'in', filter.status);
      if (filter.ruleIds?.length) query = query.where('rule_id', 'in', filter.ruleIds);
      if (filter.targetKind) query = query.where('target_kind', '=', filter.targetKind);
      if (filter.targetId) query = query.where('target_id', '=', filter.targetId);
      if (filter.severity?.length) query = query.where('severity', 'in', filter.severity);
      const rows = await query.orderBy('rule_id').orderBy('target_name').execute();
      return filter.goal ? rows.filter((r) => (JSON.parse(r.goals) as string[]).includes(filter.goal as string)) : rows;
    });
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

const CHUNK_ROWS = 200;

/** Inserts rows, or on a key conflict overwrites every other column with the new values; in chunks. */
async function upsertMany(trx: Transaction<Database>, table: keyof Database, rows: Record<string, unknown>[], keys: string[]): Promise<void> {
  for (let i = 0; i < rows.length; i += CHUNK_ROWS) {
    const chunk = rows.slice(i, i + CHUNK_ROWS);
    const updates = Object.keys(chunk[0] ?? {}).filter((c) => !keys.includes(c));
    await trx
      .insertInto(table)
      .values(chunk as never)
      .onConflict((oc) => oc.columns(keys as never).doUpdateSet((eb) => Object.fromEntries(updates.map((c) => [c, eb.ref(`excluded.${c}` as never)])) as never))
      .execute();
  }
}

const findingKey = (ruleId: string, kind: string, id: string) => `${ruleId}\u0000${kind}\u0000${id}`;

/**
 * Upserts the current state of each finding and records every change of status as an
 * event, with a handful of statements whatever the number of rules: the previous states
 * are read in one query and the new rows written in batches.
 */
async function upsertFindings(
  trx: Transaction<Database>,
  tenantId: string,
  findings: FindingInput[],
  reportId: string | null,
  at: Date,
  listeners: readonly TransitionListener[],
): Promise<void> {
  if (findings.length === 0) return;
  const now = at.toISOString();
  const targetIds = [...new Set(findings.map((f) => f.targetId))];
  const previousRows = await trx
    .selectFrom('findings')
    .select(['rule_id', 'target_kind', 'target_id', 'status', 'status_since', 'first_seen_at', 'resolved_at'])
    .where('tenant_id', '=', tenantId)
    .where('target_id', 'in', targetIds)
    .execute();
  const previousByKey = new Map(previousRows.map((r) => [findingKey(r.rule_id, r.target_kind, r.target_id), r]));
  const rows: Record<string, unknown>[] = [];
  const events: Record<string, unknown>[] = [];
  const transitions: FindingTransition[] = [];
  for (const f of findings) {
    const previous = previousByKey.get(findingKey(f.ruleId, f.targetKind, f.targetId));
    const kind = classifyTransition(previous ? { status: previous.status, resolvedAt: previous.resolved_at } : undefined, f.status);
    const changed = previous?.status !== f.status;
    rows.push({
      tenant_id: tenantId,
      rule_id: f.ruleId,
      target_kind: f.targetKind,
      target_id: f.targetId,
      target_name: f.targetName,
      status: f.status,
      reason: f.reason ?? null,
      subjects: JSON.stringify(f.subjects),
      evidence: JSON.stringify(f.evidence),
      params: JSON.stringify(f.params),
      severity: f.severity,
      goals: JSON.stringify(f.goals),
      first_seen_at: previous?.first_seen_at ?? now,
      status_since: changed ? now : (previous?.status_since ?? now),
      last_evaluated_at: now,
      report_id: reportId,
      resolved_at: kind === 'resolved' ? now : (previous?.resolved_at ?? null),
    });
    if (changed) {
      events.push({ tenant_id: tenantId, rule_id: f.ruleId, target_kind: f.targetKind, target_id: f.targetId, from_status: previous?.status ?? null, to_status: f.status, at: now, report_id: reportId, kind });
    }
    if (kind) {
      transitions.push({
        kind,
        ruleId: f.ruleId,
        targetKind: f.targetKind,
        targetId: f.targetId,
        targetName: f.targetName,
        fromStatus: previous?.status ?? null,
        toStatus: f.status,
        severity: f.severity,
        goals: f.goals,
        subjects: f.subjects,
        reportId,
        at: now,
      });
    }
  }
  await upsertMany(trx, 'findings', rows, ['tenant_id', 'rule_id', 'target_kind', 'target_id']);
  for (let i = 0; i < events.length; i += CHUNK_ROWS) {
    await trx.insertInto('finding_events').values(events.slice(i, i + CHUNK_ROWS) as never).execute();
  }
  // In the same transaction: whatever a listener writes (an alert in the outbox) commits with the finding.
  if (transitions.length > 0) for (const listener of listeners) await listener(trx, tenantId, transitions);
}
