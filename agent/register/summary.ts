import type { LocalizedText } from '../../report/facts/spec.js';
import { SSO_METHODS, type Register, type SystemEntry } from './schema.js';

/**
 * What a register says about itself, for `basvakt register check`: how many systems, and
 * which lack what the rules will ask for. Presence and dates only; the judgement with
 * thresholds per tenant is the rules' (rules/packs/basvakt/system).
 */

export interface SummaryLine {
  label: LocalizedText;
  /** Names of the systems concerned, with a detail such as a date where useful. */
  systems: string[];
}

export interface RegisterSummary {
  systems: number;
  businessCritical: number;
  singleSignOn: number;
  lines: SummaryLine[];
}

const DAY_MS = 86_400_000;
export const EXPIRY_WARNING_DAYS = 90;

function daysUntil(date: string, today: string): number {
  return (Date.parse(date) - Date.parse(today)) / DAY_MS;
}

export function summarizeRegister(register: Register, today: string): RegisterSummary {
  const systems = register.systems;
  const critical = (s: SystemEntry) => s.businessCritical === true;
  const line = (sv: string, en: string, match: (s: SystemEntry) => boolean, detail?: (s: SystemEntry) => string): SummaryLine => ({
    label: { sv, en },
    systems: systems.filter(match).map((s) => (detail ? `${s.name} (${detail(s)})` : s.name)),
  });
  const validUntil = (s: SystemEntry) => s.operatingAgreement?.validUntil;
  const lines = [
    line('systemägare saknas', 'no system owner', (s) => !s.owner),
    line('systemförvaltare saknas', 'no administrator', (s) => !s.administrator),
    line('driftavtal saknas', 'no operating agreement', (s) => !s.operatingAgreement),
    line('driftavtal utan slutdatum', 'agreement without an end date', (s) => !!s.operatingAgreement && !validUntil(s)),
    line('driftavtal som har gått ut', 'expired agreements', (s) => !!validUntil(s) && daysUntil(validUntil(s)!, today) < 0, validUntil as (s: SystemEntry) => string),
    line(
      `driftavtal som går ut inom ${EXPIRY_WARNING_DAYS} dagar`,
      `agreements expiring within ${EXPIRY_WARNING_DAYS} days`,
      (s) => !!validUntil(s) && daysUntil(validUntil(s)!, today) >= 0 && daysUntil(validUntil(s)!, today) <= EXPIRY_WARNING_DAYS,
      validUntil as (s: SystemEntry) => string,
    ),
    line('klassning (K/R/T) saknas', 'no classification (C/I/A)', (s) => !s.classification),
    line('verksamhetskritiska utan säkerhetsplan', 'business-critical without a security plan', (s) => critical(s) && !s.securityPlan),
    line('verksamhetskritiska utan driftgodkännande', 'business-critical without operating approval', (s) => critical(s) && !s.operatingApproval),
    line('inloggningssätt saknas', 'login method not recorded', (s) => !s.authentication),
    line('loggning saknas eller avstängd', 'audit logging missing or off', (s) => s.auditLogging?.enabled !== true),
    line('behörighetsgenomgång saknas', 'no access review recorded', (s) => !s.lastAccessReview),
    line('återläsningstest saknas', 'no restore test recorded', (s) => !s.backup?.lastRestoreTest),
  ];
  return {
    systems: systems.length,
    businessCritical: systems.filter(critical).length,
    singleSignOn: systems.filter((s) => (SSO_METHODS as readonly string[]).includes(s.authentication?.sso ?? '')).length,
    lines,
  };
}
