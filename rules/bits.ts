import type { LocalizedText } from '../report/facts/index.js';
import { FrameworkLoadError, loadFramework, type Framework, type Requirement } from './frameworks/index.js';

/**
 * BITS (Basnivå för informationssäkerhet, KBM 2006:1) as basvakt uses it: chapters 5–15 and
 * the automatable checks of BITS.md §3 (ids such as AV-01), which rules name in `checks`.
 * The single source is rules/frameworks/bits.yaml; this module reads it once.
 */

export interface BitsCheck {
  id: string;
  title: LocalizedText;
  /** The chapters the check belongs to. */
  chapters: readonly string[];
}

let cached: Framework | undefined;

/** The BITS framework file, loaded once. Throws FrameworkLoadError when it is broken. */
export function bitsFramework(): Framework {
  if (cached) return cached;
  const { framework, problems } = loadFramework('bits');
  if (!framework || problems.length > 0) throw new FrameworkLoadError(problems);
  cached = framework;
  return framework;
}

const isChapter = (r: Requirement) => /^\d+$/.test(r.id);

/** BITS chapters (5–15) with their titles, in order. */
export function bitsChapters(): readonly Requirement[] {
  return bitsFramework().requirements.filter(isChapter);
}

/** The automatable checks of BITS.md §3, in file order. */
export function bitsChecks(): readonly BitsCheck[] {
  return bitsFramework()
    .requirements.filter((r) => !isChapter(r))
    .map((r) => ({ id: r.id, title: r.title, chapters: r.parents }));
}

let checkIds: ReadonlySet<string> | undefined;

export function bitsCheckIds(): ReadonlySet<string> {
  return (checkIds ??= new Set(bitsChecks().map((c) => c.id)));
}

/** Every rule linked to a chapter or to one of its checks, per chapter. */
export function bitsChapterRules(): readonly { chapter: Requirement; ruleIds: readonly string[] }[] {
  const framework = bitsFramework();
  const under = (req: Requirement): string[] => [...req.links.map((l) => l.ruleId), ...req.children.flatMap((id) => under(framework.byId.get(id)!))];
  return bitsChapters().map((chapter) => ({ chapter, ruleIds: [...new Set(under(chapter))].sort() }));
}
