import { isManualRule } from '../engine/types.js';
import type { Framework, Requirement, RuleCatalogueView } from './index.js';

/**
 * Coverage of a framework by basvakt: per requirement, whether rules check it (automated),
 * people confirm it (manual) or nothing does (not covered) – and, given results, whether it
 * is met. Pure: the same inputs give the same table.
 *
 * A requirement is met only when every rule linked to it (and to its sub-requirements) passes
 * and every linked manual control is attested; sub-requirements the framework has but the file
 * does not list, and content beyond them, keep it from being met. Not covered counts as not
 * met in every percentage.
 */

export type Coverage = 'automated' | 'manual' | 'not-covered';

/**
 * met: everything linked passes, nothing uncovered. not-met: something linked fails.
 * unknown: nothing fails, something is unknown (or not attested). partial: nothing fails or is
 * unknown and something passes, but parts are not covered or have no results. not-assessed:
 * nothing to judge (not covered, or no results at all).
 */
export type RequirementResult = 'met' | 'not-met' | 'unknown' | 'partial' | 'not-assessed';

/** Results of one rule over a tenant's targets (for a manual control: its attestation, 0 or 1 each). */
export interface RuleTally {
  pass: number;
  fail: number;
  unknown: number;
  notApplicable?: number;
}

export type LinkOutcome = 'pass' | 'fail' | 'unknown' | 'no-data';

export interface LinkedRule {
  id: string;
  reason: string;
  manual: boolean;
  /** Only when results were given. */
  outcome?: LinkOutcome;
}

export interface RequirementRow {
  requirement: Requirement;
  /** 0 for a top-level requirement, 1 for its sub-requirements, … */
  depth: number;
  coverage: Coverage;
  /** The requirement's own links. */
  rules: LinkedRule[];
  /** Leaf requirements under this one (itself when it has none), incl. unlisted ones, by coverage. */
  units: { total: number; automated: number; manual: number; notCovered: number };
  result?: RequirementResult;
  /** Why the result is not met, unknown or partial (Swedish, then English). */
  reason?: string;
}

export interface CoverageSummary {
  total: number;
  automated: number;
  manual: number;
  notCovered: number;
  /** Of the covered ones, how many have parts that are not covered. */
  partlyCovered: number;
  /** Only when results were given. Not covered is never met. */
  met?: number;
  percentCovered: number;
  percentMet?: number;
}

export interface FrameworkCoverage {
  framework: Framework;
  /** Depth first in file order: a requirement, then its sub-requirements. */
  rows: RequirementRow[];
  /** Over the top-level requirements. */
  summary: CoverageSummary;
  /** Over the leaf requirements incl. unlisted ones (CIS safeguards, BITS checks); only when the framework has sub-requirements. */
  unitSummary?: CoverageSummary;
}

function outcomeOf(tally: RuleTally | undefined, manual: boolean): LinkOutcome {
  if (!tally) return manual ? 'unknown' : 'no-data';
  if (tally.fail > 0) return 'fail';
  if (tally.unknown > 0) return 'unknown';
  if (tally.pass > 0) return 'pass';
  return 'no-data';
}

/** A requirement counted as one unit itself: no sub-requirements, listed or not. */
const isLeaf = (req: Requirement) => req.children.length === 0 && req.unlisted === 0;

const percent = (part: number, total: number) => (total === 0 ? 0 : Math.round((part / total) * 1000) / 10);

interface Node {
  row: RequirementRow;
}

/** Coverage (and results, when given) of every requirement of a framework. */
export function frameworkCoverage(framework: Framework, rules: RuleCatalogueView, results?: ReadonlyMap<string, RuleTally>): FrameworkCoverage {
  const nodes = new Map<string, Node>();
  const build = (req: Requirement, depth: number, path: ReadonlySet<string>): Node => {
    const done = nodes.get(req.id);
    if (done) return { row: { ...done.row, depth } };
    const linked: LinkedRule[] = req.links.map((l) => {
      const rule = rules.allById.get(l.ruleId);
      const manual = rule !== undefined && isManualRule(rule);
      return { id: l.ruleId, reason: l.reason, manual, ...(results ? { outcome: outcomeOf(results.get(l.ruleId), manual) } : {}) };
    });
    const children = req.children.filter((id) => !path.has(id)).map((id) => build(framework.byId.get(id)!, depth + 1, new Set([...path, id])));
    const extra = req.unlisted + (req.unlistedContent ? 1 : 0);
    const ownKind = linked.some((l) => !l.manual) ? 'automated' : linked.length > 0 ? 'manual' : 'not-covered';
    const units = { total: extra, automated: 0, manual: 0, notCovered: extra };
    if (isLeaf(req)) {
      units.total += 1;
      units[ownKind === 'not-covered' ? 'notCovered' : ownKind] += 1;
    }
    for (const c of children) {
      units.total += c.row.units.total;
      units.automated += c.row.units.automated;
      units.manual += c.row.units.manual;
      units.notCovered += c.row.units.notCovered;
    }
    const coverage: Coverage =
      ownKind === 'automated' || children.some((c) => c.row.coverage === 'automated')
        ? 'automated'
        : ownKind === 'manual' || children.some((c) => c.row.coverage === 'manual')
          ? 'manual'
          : 'not-covered';
    const row: RequirementRow = { requirement: req, depth, coverage, rules: linked, units };
    if (results) {
      const judged = judge(linked, children, coverage, extra);
      row.result = judged.result;
      if (judged.reason) row.reason = judged.reason;
    }
    const node = { row };
    nodes.set(req.id, node);
    return node;
  };

  const rows: RequirementRow[] = [];
  // A sub-requirement under two parents (a BITS check in chapters 10 and 11) is shown under its
  // first one; both parents count it.
  const walk = (req: Requirement, depth: number, path: ReadonlySet<string>) => {
    rows.push(build(req, depth, path).row);
    for (const id of req.children) {
      const child = framework.byId.get(id)!;
      if (!path.has(id) && child.parents[0] === req.id) walk(child, depth + 1, new Set([...path, id]));
    }
  };
  const top = framework.requirements.filter((r) => r.parents.length === 0);
  for (const req of top) walk(req, 0, new Set([req.id]));

  const summarize = (list: { coverage: Coverage; met: boolean; partly?: boolean }[]): CoverageSummary => {
    const total = list.length;
    const automated = list.filter((x) => x.coverage === 'automated').length;
    const manual = list.filter((x) => x.coverage === 'manual').length;
    const partlyCovered = list.filter((x) => x.coverage !== 'not-covered' && x.partly).length;
    const summary: CoverageSummary = { total, automated, manual, notCovered: total - automated - manual, partlyCovered, percentCovered: percent(automated + manual, total) };
    if (results) {
      summary.met = list.filter((x) => x.met).length;
      summary.percentMet = percent(summary.met, total);
    }
    return summary;
  };
  const summary = summarize(
    top.map((r) => {
      const row = nodes.get(r.id)!.row;
      return { coverage: row.coverage, met: row.result === 'met', partly: row.units.notCovered > 0 };
    }),
  );
  const hasHierarchy = framework.requirements.some((r) => r.parents.length > 0);
  const out: FrameworkCoverage = { framework, rows, summary };
  if (hasHierarchy) {
    // Leaf units may sit under two parents (a BITS check in chapters 10 and 11): count each once.
    const leaves = new Map<string, Node>();
    const collect = (req: Requirement) => {
      if (isLeaf(req)) leaves.set(req.id, nodes.get(req.id)!);
      req.children.forEach((id) => collect(framework.byId.get(id)!));
    };
    top.forEach(collect);
    const extraUnits = framework.requirements.reduce((n, r) => n + r.unlisted + (r.unlistedContent ? 1 : 0), 0);
    const list = [
      ...[...leaves.values()].map((n) => ({ coverage: n.row.coverage, met: n.row.result === 'met' })),
      ...Array.from({ length: extraUnits }, () => ({ coverage: 'not-covered' as Coverage, met: false })),
    ];
    out.unitSummary = summarize(list);
  }
  return out;
}

function judge(linked: LinkedRule[], children: Node[], coverage: Coverage, extra: number): { result: RequirementResult; reason?: string } {
  const ids = (o: LinkOutcome) => linked.filter((l) => l.outcome === o).map((l) => l.id);
  const childIds = (r: RequirementResult) => children.filter((c) => c.row.result === r).map((c) => c.row.requirement.id);
  const failing = [...ids('fail'), ...childIds('not-met')];
  if (failing.length > 0) return { result: 'not-met', reason: `underkänt (failing): ${failing.join(', ')}` };
  if (coverage === 'not-covered') return { result: 'not-assessed', reason: 'inte täckt (not covered)' };
  const unknown = [...ids('unknown'), ...childIds('unknown')];
  if (unknown.length > 0) return { result: 'unknown', reason: `okänt eller inte bekräftat (unknown or not attested): ${unknown.join(', ')}` };
  const noData = [...ids('no-data'), ...children.filter((c) => c.row.result === 'not-assessed' || c.row.result === 'partial').map((c) => c.row.requirement.id)];
  if (noData.length === 0 && extra === 0) return { result: 'met' };
  const passing = linked.some((l) => l.outcome === 'pass') || children.some((c) => c.row.result === 'met' || c.row.result === 'partial');
  const parts = [
    ...(noData.length > 0 ? [`inte bedömt (not assessed): ${noData.join(', ')}`] : []),
    ...(extra > 0 ? [`${extra} delkrav täcks inte (${extra} sub-requirements not covered)`] : []),
  ];
  return { result: passing ? 'partial' : 'not-assessed', reason: parts.join('; ') };
}
