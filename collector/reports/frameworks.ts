import { BITS_CHAPTERS, BITS_CHECKS } from '../../rules/bits.js';
import type { Rule, RuleSet } from '../../rules/engine/index.js';
import { countsByRule, type RuleCount } from '../dashboard/queries.js';

type Text = { sv: string; en: string };

/**
 * One requirement of a framework and the rules that check it. `manual` marks a requirement
 * met by an attestation rather than a rule. Until `rules/frameworks/*.yaml` exist this is
 * derived from the rules' own `bits`, `checks` and `refs`.
 */
export interface FrameworkRequirement {
  id: string;
  title: Text;
  ruleIds: string[];
  manual?: boolean;
}

export interface Framework {
  id: string;
  title: Text;
  /** True when the list holds every requirement of the framework; false when only the ones rules refer to. */
  complete: boolean;
  requirements: FrameworkRequirement[];
}

export type Coverage = 'automated' | 'manual' | 'not-covered';
export type RequirementResult = 'met' | 'not-met' | 'unknown' | 'not-assessed';

const NIS2_ART21: Record<string, Text> = {
  a: { sv: 'Riskanalys och säkerhetspolicy för informationssystem', en: 'Risk analysis and information system security policies' },
  b: { sv: 'Incidenthantering', en: 'Incident handling' },
  c: { sv: 'Kontinuitet: säkerhetskopiering, katastrofåterställning och krishantering', en: 'Business continuity: backup, disaster recovery and crisis management' },
  d: { sv: 'Säkerhet i leveranskedjan', en: 'Supply chain security' },
  e: { sv: 'Säkerhet vid anskaffning, utveckling och underhåll, inklusive sårbarhetshantering', en: 'Security in acquisition, development and maintenance, including vulnerability handling' },
  f: { sv: 'Utvärdering av riskhanteringsåtgärdernas effektivitet', en: 'Assessing the effectiveness of risk-management measures' },
  g: { sv: 'Grundläggande cyberhygien och utbildning', en: 'Basic cyber hygiene and training' },
  h: { sv: 'Kryptografi och kryptering', en: 'Cryptography and encryption' },
  i: { sv: 'Personalsäkerhet, åtkomstkontroll och hantering av tillgångar', en: 'Human resources security, access control and asset management' },
  j: { sv: 'Flerfaktorsautentisering och säker kommunikation', en: 'Multi-factor authentication and secured communication' },
};

const ISO_THEMES: Record<string, { count: number; title: Text }> = {
  '5': { count: 37, title: { sv: 'Organisatorisk åtgärd', en: 'Organizational control' } },
  '6': { count: 8, title: { sv: 'Personrelaterad åtgärd', en: 'People control' } },
  '7': { count: 14, title: { sv: 'Fysisk åtgärd', en: 'Physical control' } },
  '8': { count: 34, title: { sv: 'Teknisk åtgärd', en: 'Technological control' } },
};

function rulesWhere(rules: readonly Rule[], pick: (rule: Rule) => readonly string[] | undefined, id: string): string[] {
  return rules.filter((r) => pick(r)?.includes(id)).map((r) => r.id);
}

function byNumber(a: string, b: string): number {
  return a.localeCompare(b, 'en', { numeric: true });
}

function fromRefs(rules: readonly Rule[], key: 'cis_v8' | 'msbfs2020_7', title: (id: string) => Text): FrameworkRequirement[] {
  const ids = [...new Set(rules.flatMap((r) => r.refs[key] ?? []))].sort(byNumber);
  return ids.map((id) => ({ id, title: title(id), ruleIds: rulesWhere(rules, (r) => r.refs[key], id) }));
}

/** The framework views, derived from the rule metadata. */
export function frameworks(ruleSet: RuleSet): Framework[] {
  const rules = ruleSet.rules;
  const iso: FrameworkRequirement[] = [];
  for (const [theme, { count, title }] of Object.entries(ISO_THEMES)) {
    for (let n = 1; n <= count; n++) {
      const id = `${theme}.${n}`;
      iso.push({ id, title, ruleIds: rulesWhere(rules, (r) => r.refs.iso27002_2022, id) });
    }
  }
  return [
    {
      id: 'bits',
      title: { sv: 'BITS – kapitel', en: 'BITS – chapters' },
      complete: true,
      requirements: Object.entries(BITS_CHAPTERS).map(([id, title]) => ({ id, title: { sv: title, en: title }, ruleIds: rulesWhere(rules, (r) => r.bits, id) })),
    },
    {
      id: 'bits-checks',
      title: { sv: 'BITS – automatiserbara kontroller', en: 'BITS – automatable checks' },
      complete: true,
      requirements: BITS_CHECKS.map((c) => ({ id: c.id, title: c.title, ruleIds: rulesWhere(rules, (r) => r.checks, c.id) })),
    },
    { id: 'iso27002', title: { sv: 'ISO/IEC 27002:2022', en: 'ISO/IEC 27002:2022' }, complete: true, requirements: iso },
    {
      id: 'cis',
      title: { sv: 'CIS Controls v8', en: 'CIS Controls v8' },
      complete: false,
      requirements: fromRefs(rules, 'cis_v8', (id) => ({ sv: `Skyddsåtgärd ${id}`, en: `Safeguard ${id}` })),
    },
    {
      id: 'msbfs',
      title: { sv: 'MSBFS 2020:7', en: 'MSBFS 2020:7' },
      complete: false,
      requirements: fromRefs(rules, 'msbfs2020_7', (id) => ({ sv: `${id.split(':')[0]} kap. ${id.split(':')[1]} §`, en: `Chapter ${id.split(':')[0]} section ${id.split(':')[1]}` })),
    },
    {
      id: 'nis2',
      title: { sv: 'Cybersäkerhetslagen / NIS2 art. 21.2', en: 'Cybersecurity Act / NIS2 Art. 21(2)' },
      complete: true,
      requirements: Object.entries(NIS2_ART21).map(([id, title]) => ({ id, title, ruleIds: rulesWhere(rules, (r) => r.refs.nis2_art21, id) })),
    },
  ];
}

export interface RequirementStatus extends FrameworkRequirement {
  coverage: Coverage;
  result: RequirementResult;
}

/**
 * Coverage and result per requirement. Met only when every finding of its rules passes and
 * at least one was judged; a failure (waived or not) is not met; an unmapped requirement is
 * never met.
 */
export function assess(framework: Framework, counts: readonly RuleCount[]): { framework: Framework; requirements: RequirementStatus[] } {
  const byRule = countsByRule(counts);
  const requirements = framework.requirements.map((req): RequirementStatus => {
    if (req.ruleIds.length === 0) return { ...req, coverage: req.manual ? 'manual' : 'not-covered', result: 'not-assessed' };
    let pass = 0;
    let fail = 0;
    let unknown = 0;
    for (const id of req.ruleIds) {
      const c = byRule.get(id);
      if (!c) continue;
      pass += c.pass;
      fail += c.fail;
      unknown += c.unknown;
    }
    const result: RequirementResult = fail > 0 ? 'not-met' : unknown > 0 ? 'unknown' : pass > 0 ? 'met' : 'not-assessed';
    return { ...req, coverage: 'automated', result };
  });
  return { framework, requirements };
}
