import type { RuleSet } from '../../rules/engine/index.js';
import { linksOfRule, type FrameworkSet } from '../../rules/frameworks/index.js';
import type { PresentedFinding } from '../services/findings.js';

/** A framework requirement the finding's rule is evidence for, and why (rules/frameworks/*.yaml). */
export interface AuditorFrameworkLink {
  framework: string;
  requirement: string;
  reason: string;
}

export interface AuditorFinding extends PresentedFinding {
  title: { sv: string; en: string } | null;
  frameworks: AuditorFrameworkLink[];
}

/** Every finding with its evidence and the framework requirements its rule is linked to, for an auditor's own tools. */
export function auditorFindings(findings: readonly PresentedFinding[], rules: RuleSet, frameworks: FrameworkSet): AuditorFinding[] {
  const linksOf = new Map<string, AuditorFrameworkLink[]>();
  return findings.map((f) => {
    const rule = rules.allById.get(f.ruleId);
    let links = linksOf.get(f.ruleId);
    if (!links) {
      links = linksOfRule(frameworks, f.ruleId).map((l) => ({ framework: l.framework.id, requirement: l.requirement.id, reason: l.reason }));
      linksOf.set(f.ruleId, links);
    }
    return { ...f, title: rule ? { sv: rule.title.sv, en: rule.title.en } : null, frameworks: links };
  });
}

function csvField(value: string): string {
  // Leading = + - @ would be run as a formula by a spreadsheet opening the export.
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\n\r;]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

const COLUMNS = ['regel', 'rubrik', 'måltyp', 'mål-id', 'målnamn', 'status', 'gällande status', 'förlopp', 'allvarlighet', 'mål', 'först sedd', 'status sedan', 'senast bedömd', 'åtgärda senast', 'orsak', 'berör', 'undantag', 'underlag'];

/** CSV with a header row, one finding per line; evidence as JSON in the last column. */
export function auditorCsv(findings: readonly AuditorFinding[]): string {
  const lines = [COLUMNS.join(',')];
  for (const f of findings) {
    const row = [
      f.ruleId,
      f.title?.sv ?? '',
      f.targetKind,
      f.targetId,
      f.targetName,
      f.status,
      f.effectiveStatus,
      f.lifecycle,
      f.severity,
      f.goals.join(' '),
      f.firstSeenAt,
      f.statusSince,
      f.lastEvaluatedAt,
      f.deadline ?? '',
      f.reason ?? '',
      f.subjects.join(' '),
      f.waiver ? `${f.waiver.id}: ${f.waiver.reason} (${f.waiver.riskOwner}, ${f.waiver.expiresAt})` : '',
      JSON.stringify(f.evidence),
    ];
    lines.push(row.map(csvField).join(','));
  }
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}
