import type { Generated } from 'kysely';

/**
 * Table types for the collector's store. Timestamps are ISO 8601 text in UTC and JSON
 * is stored as text, so that the same migrations and queries run on SQLite and PostgreSQL.
 */
export interface Database {
  tenants: { id: string; name: string; created_at: string };
  enrollment_tokens: {
    id: string;
    tenant_id: string;
    token_hash: string;
    created_at: string;
    expires_at: string;
    max_uses: number;
    uses: number;
    revoked_at: string | null;
    created_by: string | null;
  };
  api_tokens: {
    id: string;
    tenant_id: string;
    token_hash: string;
    role: string;
    created_at: string;
    revoked_at: string | null;
    name: string | null;
  };
  agents: {
    id: string;
    tenant_id: string;
    hostname: string;
    secret_hash: string;
    version: string;
    enrolled_at: string;
    last_seen_at: string | null;
    revoked_at: string | null;
  };
  reports: {
    report_id: string;
    tenant_id: string;
    agent_id: string;
    created_at: string;
    received_at: string;
    body: string;
  };
  targets: {
    tenant_id: string;
    kind: string;
    id: string;
    name: string;
    agent_id: string;
    last_report_id: string;
    last_seen_at: string;
  };
  facts: {
    tenant_id: string;
    target_kind: string;
    target_id: string;
    name: string;
    status: string;
    source: string;
    collected_at: string;
    value: string | null;
    reason: string | null;
    report_id: string;
  };
  findings: {
    tenant_id: string;
    rule_id: string;
    target_kind: string;
    target_id: string;
    target_name: string;
    status: string;
    reason: string | null;
    subjects: string;
    /** The evidence values as JSON; null when they are kept by reference (`evidence_paths`). */
    evidence: string | null;
    /** JSON list of evidence paths whose values are read from report `report_id`; null when inline. */
    evidence_paths: string | null;
    params: string;
    severity: string;
    goals: string;
    first_seen_at: string;
    status_since: string;
    last_evaluated_at: string;
    report_id: string | null;
    resolved_at: string | null;
  };
  finding_events: {
    id: Generated<number>;
    tenant_id: string;
    rule_id: string;
    target_kind: string;
    target_id: string;
    from_status: string | null;
    to_status: string;
    at: string;
    report_id: string | null;
    kind: string | null;
  };
  audit_log: {
    id: Generated<number>;
    tenant_id: string | null;
    actor: string;
    action: string;
    details: string;
    at: string;
  };
  federations: { id: string; name: string; created_at: string };
  federation_members: { federation_id: string; tenant_id: string };
  users: {
    id: string;
    username: string;
    display_name: string;
    password_hash: string | null;
    ldap_dn: string | null;
    created_at: string;
    disabled_at: string | null;
  };
  role_grants: { user_id: string; role: string; scope_kind: string; scope_id: string };
  sessions: { id_hash: string; user_id: string; csrf_token: string; created_at: string; expires_at: string };
  login_attempts: { id: Generated<number>; username: string; remote: string; ok: number; at: string };
  waivers: {
    id: string;
    tenant_id: string;
    rule_id: string;
    target_kind: string;
    target_id: string;
    reason: string;
    risk_owner: string;
    approved_by: string;
    created_at: string;
    expires_at: string;
    review_at: string | null;
    revoked_at: string | null;
  };
  alert_outbox: {
    id: Generated<number>;
    dedupe_key: string;
    channel_id: string;
    group_key: string;
    tenant_id: string | null;
    kind: string;
    payload: string;
    state: 'pending' | 'sent' | 'dead';
    created_at: string;
    next_attempt_at: string;
    lease_until: string | null;
    lease_owner: string | null;
    attempts: Generated<number>;
    last_error: string | null;
    sent_at: string | null;
  };
  alert_marks: { key: string; created_at: string };
  agent_silences: { agent_id: string; since: string; tenant_id: string; detected_at: string; back_at: string | null };
}
