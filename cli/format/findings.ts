import type { Lang, Localized } from '../i18n.js';
import { SEVERITY_LABEL, SEVERITY_ORDER, STATUS_LABEL, STATUS_MARK, STATUS_PLURAL, label } from './labels.js';

/** What the terminal view needs of a finding, whether judged locally or read from the collector. */
export interface FindingView {
  ruleId: string;
  targetKind: string;
  targetName: string;
  status: string;
  reason?: string | null | undefined;
  subjects: string[];
  severity: string;
  goals: string[];
}

export interface RuleText {
  title: Localized;
  remediation: Localized;
}

export interface FindingsTableInput {
  findings: FindingView[];
  ruleText: (ruleId: string) => RuleText | undefined;
  goalTitle: (goalId: string) => Localized | undefined;
  heading: string;
  /** Also list each passing finding, not only their number. */
  showPassing?: boolean;
}

const STATUSES = ['fail', 'unknown', 'pass', 'not_applicable'] as const;

function countLine(findings: FindingView[], lang: Lang): string {
  const parts = STATUSES.map((s) => [s, findings.filter((f) => f.status === s).length] as const)
    .filter(([, n]) => n > 0)
    .map(([s, n]) => `${n} ${label(n === 1 ? STATUS_LABEL : STATUS_PLURAL, s, lang)}`);
  return parts.join(' · ') || (lang === 'sv' ? 'inga resultat' : 'no results');
}

function rank(f: FindingView): number {
  return STATUSES.indexOf(f.status as (typeof STATUSES)[number]) * 10 + SEVERITY_ORDER.indexOf(f.severity);
}

function firstParagraph(text: string): string {
  return text.trim().split(/\n\s*\n/)[0]?.replace(/\s+/g, ' ') ?? '';
}

/** Findings grouped by goal, worst first, in plain language for the security officer. */
export function renderFindingsTable(input: FindingsTableInput, lang: Lang): string {
  const { findings } = input;
  const out: string[] = [input.heading, `${lang === 'sv' ? 'Översikt' : 'Overview'}: ${countLine(findings, lang)}`, ''];
  const goals = [...new Set(findings.flatMap((f) => f.goals))].sort();
  for (const goal of goals) {
    const inGoal = findings.filter((f) => f.goals.includes(goal)).sort((a, b) => rank(a) - rank(b));
    const title = input.goalTitle(goal)?.[lang] ?? goal;
    out.push(`${goal} — ${title}`, `  ${countLine(inGoal, lang)}`);
    for (const f of inGoal) {
      if (f.status === 'not_applicable' || (f.status === 'pass' && !input.showPassing)) continue;
      const text = input.ruleText(f.ruleId);
      const where = f.targetKind === 'tenant' ? (lang === 'sv' ? 'hela organisationen' : 'whole tenant') : f.targetName;
      out.push(
        `  ${STATUS_MARK[f.status] ?? ' '} ${label(STATUS_LABEL, f.status, lang).padEnd(10)} ${label(SEVERITY_LABEL, f.severity, lang).padEnd(8)} ${f.ruleId}  ${text?.title[lang] ?? ''} — ${where}`,
      );
      if (f.subjects.length > 0) {
        const shown = f.subjects.slice(0, 10).join(', ') + (f.subjects.length > 10 ? ` … (+${f.subjects.length - 10})` : '');
        out.push(`      ${lang === 'sv' ? 'Gäller' : 'Affects'}: ${shown}`);
      }
      if (f.status === 'unknown' && f.reason) out.push(`      ${lang === 'sv' ? 'Okänt eftersom' : 'Unknown because'}: ${f.reason}`);
      if (f.status === 'fail' && text) out.push(`      ${lang === 'sv' ? 'Åtgärd' : 'Fix'}: ${firstParagraph(text.remediation[lang])}`);
    }
    out.push('');
  }
  return out.join('\n');
}
