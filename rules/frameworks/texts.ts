import type { CoverageSummary } from './coverage.js';

/**
 * Words of the coverage table and the rule catalogue, Swedish and English. The Markdown
 * documents, the command line and the dashboard all use these.
 */

const pct = (n: number, lang: 'sv' | 'en') => `${n.toLocaleString(lang === 'sv' ? 'sv-SE' : 'en-GB', { maximumFractionDigits: 1 })} %`;

export const sv = {
  requirement: 'Krav',
  title: 'Rubrik',
  level: 'Nivå',
  coverage: 'Täckning',
  result: 'Resultat',
  rules: 'Regler och motiveringar',
  automated: 'Automatiserad',
  manual: 'Manuell (intygas)',
  notCovered: 'Inte täckt',
  met: 'Uppfyllt',
  notMet: 'Inte uppfyllt',
  unknown: 'Okänt',
  partial: 'Delvis bedömt',
  notAssessed: 'Inte bedömt',
  outcome: { pass: 'godkänd', fail: 'underkänd', unknown: 'okänd', 'no-data': 'inga data' } as Record<string, string>,
  inferred: 'tolkat [I]',
  levels: { bas: 'bas', hög: 'hög (K/R/T ≥ 3)' } as Record<string, string>,
  manualMark: 'manuell',
  summary: (s: CoverageSummary) =>
    `${s.total} krav: ${s.automated} automatiserade, ${s.manual} manuella, ${s.notCovered} inte täckta (${pct(s.percentCovered, 'sv')} täckta).` +
    (s.partlyCovered > 0 ? ` ${s.partlyCovered} av de täckta har delar som inte täcks.` : '') +
    (s.met !== undefined ? ` ${s.met} uppfyllda (${pct(s.percentMet ?? 0, 'sv')}); krav som inte täcks räknas som inte uppfyllda.` : ''),
  unitSummary: (s: CoverageSummary) =>
    `På delkravsnivå, med delkrav som inte står i listan räknade som inte täckta: ${s.total} delkrav, ${s.automated} automatiserade, ${s.manual} manuella, ${s.notCovered} inte täckta (${pct(s.percentCovered, 'sv')} täckta).` +
    (s.met !== undefined ? ` ${s.met} uppfyllda (${pct(s.percentMet ?? 0, 'sv')}).` : ''),
  incompleteList: 'Listan är ofullständig: krav som inte står här täcks inte av basvakt och räknas inte med i procenten.',
  version: 'Utgåva',
  source: 'Källa',
  generated: (command: string) => `Skapad av \`${command}\` ur rules/frameworks och regelpaketen. Ändra inte för hand.`,
  catalogue: {
    title: 'Regelkatalog',
    lead: 'Alla regler och manuella kontroller i basvakts regelpaket, grupperade per mål: vad som kontrolleras, varför, hur man åtgärdar, gränsvärden med källor och vilka ramverkskrav regeln är underlag för.',
    contents: 'Innehåll',
    noGoal: 'Utan mål i Mål 2007 (BITS-kontroller)',
    alsoHere: 'Hör också till målet',
    id: 'Id',
    severity: 'Allvarlighet',
    target: 'Gäller',
    kind: 'Typ',
    automated: 'automatisk',
    manual: 'manuell kontroll (intygas av en person)',
    goals: 'Mål',
    checks: 'BITS-kontroller',
    whatChecked: 'Vad som kontrolleras',
    facts: 'Fakta som läses',
    condition: 'Villkor (CEL)',
    aggregateOf: 'Sammanräknar reglerna',
    question: 'Fråga att intyga',
    evidence: 'Vad som räknas som underlag',
    reviewMonths: (n: number) => `Intyget gäller högst ${n} månader.`,
    rationale: 'Varför',
    remediation: 'Åtgärd',
    params: 'Gränsvärden och parametrar',
    param: 'Parameter',
    value: 'Standardvärde',
    sources: 'Källor',
    frameworks: 'Ramverk',
    noFrameworks: 'Inte länkad till något ramverkskrav.',
    reason: 'Varför regeln hör hit',
    file: 'Fil',
    counts: (automated: number, manual: number) => `${automated} automatiska regler och ${manual} manuella kontroller.`,
  },
  severity: { critical: 'kritisk', high: 'hög', medium: 'medel', low: 'låg', info: 'info' } as Record<string, string>,
  targetKind: { host: 'dator', directory: 'katalogtjänst', switch: 'switch', segment: 'nätsegment', system: 'system', tenant: 'hela kommunen' } as Record<string, string>,
};

export type CoverageTexts = typeof sv;

export const en: CoverageTexts = {
  requirement: 'Requirement',
  title: 'Title',
  level: 'Level',
  coverage: 'Coverage',
  result: 'Result',
  rules: 'Rules and reasons',
  automated: 'Automated',
  manual: 'Manual (attested)',
  notCovered: 'Not covered',
  met: 'Met',
  notMet: 'Not met',
  unknown: 'Unknown',
  partial: 'Partly assessed',
  notAssessed: 'Not assessed',
  outcome: { pass: 'pass', fail: 'fail', unknown: 'unknown', 'no-data': 'no data' },
  inferred: 'inferred [I]',
  levels: { bas: 'baseline', hög: 'high (C/I/A ≥ 3)' },
  manualMark: 'manual',
  summary: (s) =>
    `${s.total} requirements: ${s.automated} automated, ${s.manual} manual, ${s.notCovered} not covered (${pct(s.percentCovered, 'en')} covered).` +
    (s.partlyCovered > 0 ? ` ${s.partlyCovered} of the covered ones have parts that are not covered.` : '') +
    (s.met !== undefined ? ` ${s.met} met (${pct(s.percentMet ?? 0, 'en')}); requirements not covered count as not met.` : ''),
  unitSummary: (s) =>
    `At sub-requirement level, counting sub-requirements not listed as not covered: ${s.total} sub-requirements, ${s.automated} automated, ${s.manual} manual, ${s.notCovered} not covered (${pct(s.percentCovered, 'en')} covered).` +
    (s.met !== undefined ? ` ${s.met} met (${pct(s.percentMet ?? 0, 'en')}).` : ''),
  incompleteList: 'The list is incomplete: requirements not listed here are not covered by basvakt and are not counted.',
  version: 'Edition',
  source: 'Source',
  generated: (command) => `Made by \`${command}\` from rules/frameworks and the rule packs. Do not edit by hand.`,
  catalogue: {
    title: 'Rule catalogue',
    lead: "Every rule and manual control in basvakt's rule packs, grouped by goal: what is checked, why, how to fix it, thresholds with their sources and the framework requirements the rule is evidence for.",
    contents: 'Contents',
    noGoal: 'No 2007 goal (BITS checks)',
    alsoHere: 'Also under this goal',
    id: 'Id',
    severity: 'Severity',
    target: 'Applies to',
    kind: 'Kind',
    automated: 'automated',
    manual: 'manual control (attested by a person)',
    goals: 'Goals',
    checks: 'BITS checks',
    whatChecked: 'What is checked',
    facts: 'Facts read',
    condition: 'Condition (CEL)',
    aggregateOf: 'Counts the rules',
    question: 'Question to attest',
    evidence: 'What counts as evidence',
    reviewMonths: (n) => `An attestation is valid at most ${n} months.`,
    rationale: 'Why',
    remediation: 'Remediation',
    params: 'Thresholds and parameters',
    param: 'Parameter',
    value: 'Default',
    sources: 'Sources',
    frameworks: 'Frameworks',
    noFrameworks: 'Not linked to any framework requirement.',
    reason: 'Why the rule belongs here (in Swedish)',
    file: 'File',
    counts: (automated, manual) => `${automated} automated rules and ${manual} manual controls.`,
  },
  severity: { critical: 'critical', high: 'high', medium: 'medium', low: 'low', info: 'info' },
  targetKind: { host: 'host', directory: 'directory', switch: 'switch', segment: 'network segment', system: 'system', tenant: 'the whole organisation' },
};

export function coverageTexts(lang: 'sv' | 'en'): CoverageTexts {
  return lang === 'en' ? en : sv;
}
