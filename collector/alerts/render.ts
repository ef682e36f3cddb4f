import { createHash } from 'node:crypto';
import type { LocalizedText } from '../../report/facts/index.js';
import type { AgentAlert, AlertPayload, Delivery, DigestAlert, TransitionAlert } from './types.js';

/** What a person reads: Swedish first, English available. */
export interface RenderedText {
  /** One line, e.g. "BV-AV-001 ny avvikelse på 12 datorer". */
  line: LocalizedText;
  /** The e-mail subject (Swedish). */
  subject: string;
  /** Swedish text, then the same in English below. */
  body: string;
}

const KIND: Record<TransitionAlert['kind'], LocalizedText> = {
  new: { sv: 'ny avvikelse', en: 'new failure' },
  regressed: { sv: 'avvikelsen är tillbaka', en: 'failing again' },
  resolved: { sv: 'åtgärdad', en: 'resolved' },
  unknown: { sv: 'kan inte bedömas', en: 'cannot be judged' },
};

const SEVERITY: Record<string, LocalizedText> = {
  critical: { sv: 'kritisk', en: 'critical' },
  high: { sv: 'hög', en: 'high' },
  medium: { sv: 'medel', en: 'medium' },
  low: { sv: 'låg', en: 'low' },
  info: { sv: 'information', en: 'info' },
};

const NOUN: Record<string, { sv: [string, string]; en: [string, string] }> = {
  host: { sv: ['dator', 'datorer'], en: ['host', 'hosts'] },
  directory: { sv: ['katalog', 'kataloger'], en: ['directory', 'directories'] },
  switch: { sv: ['switch', 'switchar'], en: ['switch', 'switches'] },
  segment: { sv: ['nätsegment', 'nätsegment'], en: ['network segment', 'network segments'] },
  system: { sv: ['system', 'system'], en: ['system', 'systems'] },
};

const MAX_LISTED = 50;

/** How a person reads a time: "2026-11-23 07:00 CET" in the configured zone (the collector's own by default). */
export function formatTime(iso: string, timeZone?: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat('sv-SE', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', timeZoneName: 'short' }).format(date);
}

export function severityText(severity: string): LocalizedText {
  return SEVERITY[severity] ?? { sv: severity, en: severity };
}

function where(payload: TransitionAlert, lang: 'sv' | 'en'): string {
  const kinds = new Set(payload.targets.map((t) => t.kind));
  const n = payload.targets.length;
  if (kinds.size === 1 && kinds.has('tenant')) return lang === 'sv' ? 'för kommunen' : 'for the municipality';
  const noun = kinds.size === 1 ? NOUN[[...kinds][0] as string] : undefined;
  const words = noun ? noun[lang] : lang === 'sv' ? (['mål', 'mål'] as [string, string]) : (['target', 'targets'] as [string, string]);
  return `${lang === 'sv' ? 'på' : 'on'} ${n} ${n === 1 ? words[0] : words[1]}`;
}

function listNames(names: readonly string[], lang: 'sv' | 'en'): string {
  const shown = names.slice(0, MAX_LISTED).join(', ');
  const rest = names.length - MAX_LISTED;
  return rest > 0 ? `${shown} ${lang === 'sv' ? `och ${rest} till` : `and ${rest} more`}` : shown;
}

export function alertLine(payload: AlertPayload, timeZone?: string): LocalizedText {
  switch (payload.type) {
    case 'transition':
      return {
        sv: `${payload.ruleId} ${KIND[payload.kind].sv} ${where(payload, 'sv')}`,
        en: `${payload.ruleId} ${KIND[payload.kind].en} ${where(payload, 'en')}`,
      };
    case 'digest':
      return {
        sv: `Daglig sammanställning ${payload.date}: ${payload.totalFailing} ${payload.totalFailing === 1 ? 'avvikelse' : 'avvikelser'} kvar`,
        en: `Daily digest ${payload.date}: ${payload.totalFailing} ${payload.totalFailing === 1 ? 'failure' : 'failures'} still open`,
      };
    case 'agent':
      return payload.kind === 'agent-silent'
        ? {
            sv: `Agenten på ${payload.hostname} har inte rapporterat sedan ${formatTime(payload.lastSeenAt, timeZone)}`,
            en: `The agent on ${payload.hostname} has not reported since ${formatTime(payload.lastSeenAt, timeZone)}`,
          }
        : { sv: `Agenten på ${payload.hostname} rapporterar igen`, en: `The agent on ${payload.hostname} reports again` };
  }
}

function transitionBody(p: TransitionAlert, lang: 'sv' | 'en', timeZone: string | undefined): string {
  const sv = lang === 'sv';
  const lines = [`${p.tenantName}: ${alertLine(p)[lang]}.`, ''];
  lines.push(`${sv ? 'Regel' : 'Rule'}: ${p.ruleId}${p.ruleTitle ? ` — ${p.ruleTitle[lang]}` : ''}`);
  lines.push(`${sv ? 'Allvarlighet' : 'Severity'}: ${severityText(p.severity)[lang]}`);
  if (p.goals.length) lines.push(`${sv ? 'Mål' : 'Goals'}: ${p.goals.join(', ')}`);
  lines.push(`${sv ? 'Berörda' : 'Affected'}: ${listNames(p.targets.map((t) => t.name), lang)}`);
  const subjects = p.targets.filter((t) => t.subjects.length > 0).slice(0, MAX_LISTED);
  for (const t of subjects) lines.push(`  ${t.name}: ${t.subjects.slice(0, 10).join(', ')}`);
  lines.push(`${sv ? 'Tidpunkt' : 'Time'}: ${formatTime(p.at, timeZone)}`);
  return lines.join('\n');
}

function digestBody(p: DigestAlert, lang: 'sv' | 'en'): string {
  const sv = lang === 'sv';
  const lines = [`${p.tenantName}: ${alertLine(p)[lang]}.`, ''];
  if (p.items.length === 0) lines.push(sv ? 'Inga avvikelser kvar.' : 'Nothing is failing.');
  for (const item of p.items) {
    const title = item.ruleTitle ? ` ${item.ruleTitle[lang]}` : '';
    const more = item.count > item.targets.length ? (sv ? ` och ${item.count - item.targets.length} till` : ` and ${item.count - item.targets.length} more`) : '';
    lines.push(`- ${item.ruleId} (${severityText(item.severity)[lang]})${title}: ${item.count} — ${item.targets.join(', ')}${more}`);
  }
  return lines.join('\n');
}

function agentBody(p: AgentAlert, lang: 'sv' | 'en', timeZone: string | undefined): string {
  const sv = lang === 'sv';
  const lines = [`${p.tenantName}: ${alertLine(p, timeZone)[lang]}.`, ''];
  lines.push(`Agent: ${p.agentId} (${p.hostname})`);
  lines.push(`${sv ? 'Senast hörd' : 'Last heard'}: ${formatTime(p.lastSeenAt, timeZone)}`);
  if (p.kind === 'agent-silent') {
    lines.push(
      sv
        ? 'Kontrollera att datorn är igång, att tjänsten basvakt-agent kör och att den når insamlaren.'
        : 'Check that the machine is up, that the basvakt-agent service runs and that it reaches the collector.',
    );
  }
  return lines.join('\n');
}

function body(p: AlertPayload, lang: 'sv' | 'en', timeZone: string | undefined): string {
  switch (p.type) {
    case 'transition':
      return transitionBody(p, lang, timeZone);
    case 'digest':
      return digestBody(p, lang);
    case 'agent':
      return agentBody(p, lang, timeZone);
  }
}

export function renderText(payload: AlertPayload, timeZone?: string): RenderedText {
  const line = alertLine(payload, timeZone);
  return {
    line,
    subject: `[basvakt] ${payload.tenantName}: ${line.sv}`,
    body: `${body(payload, 'sv', timeZone)}\n\n— English —\n\n${body(payload, 'en', timeZone)}\n\n-- \nbasvakt\n`,
  };
}

/**
 * Names one delivery: the same alerts sent again (after a crash between sending and
 * marking) carry the same id, so a receiver can drop the repeat.
 */
export function deliveryId(delivery: Delivery): string {
  return createHash('sha256').update([...delivery.ids].sort().join('\n')).digest('hex').slice(0, 32);
}

export const WEBHOOK_PAYLOAD_VERSION = 1;

/** The webhook's JSON body. `ids` are stable per alert, so a receiver can drop a redelivery. */
export function renderWebhookBody(delivery: Delivery, sentAt: Date, timeZone?: string): string {
  const text = renderText(delivery.payload, timeZone);
  return JSON.stringify({
    version: WEBHOOK_PAYLOAD_VERSION,
    ids: delivery.ids,
    kind: delivery.payload.kind,
    sentAt: sentAt.toISOString(),
    text: { sv: text.line.sv, en: text.line.en },
    alert: delivery.payload,
  });
}
