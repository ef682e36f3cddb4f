import { describe, expect, it } from 'vitest';
import { formatSyslog, escapeSdValue, frameOctetCounted, syslogSeverity, msgId } from '../../../collector/alerts/channels/syslog.js';
import { signWebhook, verifyWebhookSignature } from '../../../collector/alerts/channels/webhook.js';
import { renderText, renderWebhookBody } from '../../../collector/alerts/render.js';
import type { AgentAlert, DigestAlert, TransitionAlert } from '../../../collector/alerts/types.js';
import { T0 } from './helpers.js';

const hosts = (n: number) => Array.from({ length: n }, (_, i) => ({ kind: 'host', id: `m${i}`, name: `pc${String(i).padStart(2, '0')}`, subjects: [] as string[] }));

const alert: TransitionAlert = {
  type: 'transition',
  kind: 'new',
  tenantId: 'amal',
  tenantName: 'Åmåls kommun',
  ruleId: 'BV-AV-001',
  ruleTitle: { sv: 'Datorn har ett virusskydd', en: 'The host has anti-virus protection' },
  severity: 'high',
  goals: ['AV'],
  targets: hosts(12),
  at: T0.toISOString(),
};

describe('alert texts', () => {
  it('says what happened in Swedish first, with the English below', () => {
    const text = renderText(alert);
    expect(text.line.sv).toBe('BV-AV-001 ny avvikelse på 12 datorer');
    expect(text.line.en).toBe('BV-AV-001 new failure on 12 hosts');
    expect(text.subject).toBe('[basvakt] Åmåls kommun: BV-AV-001 ny avvikelse på 12 datorer');
    const sv = text.body.indexOf('Allvarlighet: hög');
    const en = text.body.indexOf('Severity: high');
    expect(sv).toBeGreaterThan(-1);
    expect(en).toBeGreaterThan(sv);
    expect(text.body).toContain('Regel: BV-AV-001 — Datorn har ett virusskydd');
    expect(text.body).toContain('pc00, pc01');
  });

  it('uses the singular, names tenant-wide findings, regressions, resolutions, digests and silent agents', () => {
    expect(renderText({ ...alert, targets: hosts(1) }).line.sv).toBe('BV-AV-001 ny avvikelse på 1 dator');
    expect(renderText({ ...alert, kind: 'regressed', targets: [{ kind: 'tenant', id: 'amal', name: 'Åmål', subjects: [] }] }).line).toEqual({
      sv: 'BV-AV-001 avvikelsen är tillbaka för kommunen',
      en: 'BV-AV-001 failing again for the municipality',
    });
    expect(renderText({ ...alert, kind: 'resolved', targets: hosts(2) }).line.sv).toBe('BV-AV-001 åtgärdad på 2 datorer');
    const digest: DigestAlert = {
      type: 'digest', kind: 'digest', tenantId: 'amal', tenantName: 'Åmåls kommun', route: 'morgon', date: '2026-11-23', totalFailing: 3,
      items: [{ ruleId: 'BV-AV-001', ruleTitle: null, severity: 'high', count: 3, targets: ['a', 'b'] }], at: T0.toISOString(),
    };
    const d = renderText(digest);
    expect(d.subject).toBe('[basvakt] Åmåls kommun: Daglig sammanställning 2026-11-23: 3 avvikelser kvar');
    expect(d.body).toContain('- BV-AV-001 (hög): 3 — a, b och 1 till');
    const agent: AgentAlert = { type: 'agent', kind: 'agent-silent', tenantId: 'amal', tenantName: 'Åmåls kommun', agentId: 'ag1', hostname: 'web01', lastSeenAt: '2026-11-23T01:00:00.000Z', at: T0.toISOString() };
    expect(renderText(agent, 'UTC').line.sv).toBe('Agenten på web01 har inte rapporterat sedan 2026-11-23 01:00 UTC');
    // Times a person reads are in the configured zone (winter time in Sweden is UTC+1).
    expect(renderText(agent, 'Europe/Stockholm').line.sv).toBe('Agenten på web01 har inte rapporterat sedan 2026-11-23 02:00 CET');
    expect(renderText(alert, 'Europe/Stockholm').body).toContain('Tidpunkt: 2026-11-23 07:00 CET');
    expect(renderText({ ...agent, kind: 'agent-back' }).line.en).toBe('The agent on web01 reports again');
  });

  it('gives the webhook a versioned JSON body with the alert ids', () => {
    const body = JSON.parse(renderWebhookBody({ ids: ['k1', 'k2'], payload: alert }, T0)) as Record<string, unknown>;
    expect(body).toMatchObject({ version: 1, ids: ['k1', 'k2'], kind: 'new', sentAt: T0.toISOString(), text: { sv: 'BV-AV-001 ny avvikelse på 12 datorer' } });
    expect((body.alert as TransitionAlert).targets).toHaveLength(12);
  });
});

describe('RFC 5424 syslog messages', () => {
  const options = { facility: 'local0' as const, hostname: 'collector01', procId: '4242', now: T0 };

  it('formats PRI, version, timestamp, header fields, one SD element and a UTF-8 MSG with BOM', () => {
    const msg = formatSyslog({ ids: ['k'], payload: { ...alert, targets: hosts(2) } }, options);
    // local0 (16) * 8 + error (3, for high) = 131
    expect(msg).toBe(
      '<131>1 2026-11-23T06:00:00.000Z collector01 basvakt 4242 NEW [basvakt@32473 tenant="amal" kind="new" rule="BV-AV-001" severity="high" count="2" targets="pc00,pc01" id="8254c329a92850f6d539dd376f4816ee"] ' +
        '\uFEFFÅmåls kommun: BV-AV-001 ny avvikelse på 2 datorer: pc00, pc01 (BV-AV-001 new failure on 2 hosts)',
    );
  });

  it('escapes ", \\ and ] in SD values and keeps header fields printable ASCII', () => {
    expect(escapeSdValue('a"b\\c]d')).toBe('a\\"b\\\\c\\]d');
    const msg = formatSyslog({ ids: ['k'], payload: { ...alert, tenantId: 'x"]\\', targets: [{ kind: 'host', id: 'h', name: 'pc "1"]', subjects: [] }] } }, { ...options, hostname: 'bad host' });
    expect(msg).toContain('tenant="x\\"\\]\\\\"');
    expect(msg).toContain('targets="pc \\"1\\"\\]"');
    expect(msg).toContain(' bad_host basvakt ');
  });

  it('maps severities and message ids by kind, and frames with octet counting', () => {
    expect(syslogSeverity({ ...alert, severity: 'critical' })).toBe(2);
    expect(syslogSeverity({ ...alert, kind: 'resolved' })).toBe(5);
    expect(msgId({ type: 'agent', kind: 'agent-silent', tenantId: 't', tenantName: 't', agentId: 'a', hostname: 'h', lastSeenAt: '', at: '' })).toBe('AGENT_SILENT');
    const frame = frameOctetCounted('<14>1 - - - - - - åäö');
    expect(frame.toString('utf8')).toBe(`${Buffer.byteLength('<14>1 - - - - - - åäö')} <14>1 - - - - - - åäö`);
  });
});

describe('webhook signatures', () => {
  it('signs timestamp.body with HMAC-SHA256 and verifies in constant time, refusing tampering and replays', () => {
    const ts = String(Math.floor(T0.getTime() / 1000));
    const body = '{"version":1}';
    const sig = signWebhook('hemlig', ts, body);
    expect(sig).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(verifyWebhookSignature({ secret: 'hemlig', timestamp: ts, body, signature: sig, now: T0 })).toBe(true);
    expect(verifyWebhookSignature({ secret: 'hemlig', timestamp: ts, body: '{"version":2}', signature: sig, now: T0 })).toBe(false);
    expect(verifyWebhookSignature({ secret: 'annan', timestamp: ts, body, signature: sig, now: T0 })).toBe(false);
    expect(verifyWebhookSignature({ secret: 'hemlig', timestamp: String(Number(ts) + 1), body, signature: sig, now: T0 })).toBe(false);
    const later = new Date(T0.getTime() + 10 * 60_000);
    expect(verifyWebhookSignature({ secret: 'hemlig', timestamp: ts, body, signature: sig, now: later })).toBe(false);
  });
});
