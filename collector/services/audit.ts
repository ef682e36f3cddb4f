import type { Selectable } from 'kysely';
import type { Database } from '../store/schema.js';

type AuditRow = Selectable<Database['audit_log']>;

export function presentAudit(row: AuditRow) {
  return { id: row.id, tenant: row.tenant_id, actor: row.actor, action: row.action, details: JSON.parse(row.details) as Record<string, unknown>, at: row.at };
}

function csvField(value: string): string {
  // Leading = + - @ would be run as a formula by a spreadsheet opening the export.
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** The audit trail as CSV for auditors (UTF-8, header row, one change per line). */
export function auditCsv(rows: readonly AuditRow[]): string {
  const lines = ['id,tid,aktör,händelse,detaljer'];
  for (const r of rows) lines.push([String(r.id), r.at, r.actor, r.action, r.details].map(csvField).join(','));
  return lines.join('\r\n') + '\r\n';
}
