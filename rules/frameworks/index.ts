import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { z } from 'zod';
import { formatPath } from '../../common/validation.js';
import { InputFileError, parseYaml, type ParsedYaml } from '../../common/yaml.js';
import type { LocalizedText } from '../../report/facts/index.js';
import { FRAMEWORK_DIR } from '../engine/paths.js';
import { problemLocation, problemsWithPositions, type RuleProblem } from '../engine/problems.js';
import { ruleIdSchema } from '../engine/schema.js';
import type { AnyRule } from '../engine/types.js';

/**
 * The framework data files (rules/frameworks/<id>.yaml): each framework's requirements and,
 * per requirement, the rules and manual controls that are evidence for it, with a reason.
 * Rules do not name frameworks; these files are the only mapping.
 */

export const FRAMEWORK_IDS = ['bits', 'iso27002-2022', 'cis-v8', 'msbfs-2020-7', 'nis2-art21'] as const;
export type FrameworkId = (typeof FRAMEWORK_IDS)[number];
export type Level = 'bas' | 'hög';

const ISO_THEME_SIZES: Record<string, number> = { '5': 37, '6': 8, '7': 14, '8': 34 };

/** Well-formed requirement ids per framework, with an example for the message. */
const REQUIREMENT_IDS: Record<FrameworkId, { pattern: RegExp; example: string; exists?: (id: string) => boolean }> = {
  bits: { pattern: /^(?:[5-9]|1[0-5])$|^[A-Z]{2,3}-\d{2}$/, example: '"10" (kapitel) eller "AV-01" (kontroll)' },
  'iso27002-2022': {
    pattern: /^[5-8]\.\d{1,2}$/,
    example: '"8.7"',
    exists: (id) => {
      const [theme, n] = id.split('.');
      return Number(n) >= 1 && Number(n) <= (ISO_THEME_SIZES[theme!] ?? 0);
    },
  },
  'cis-v8': { pattern: /^(?:[1-9]|1[0-8])(?:\.\d{1,2})?$/, example: '"10" (kontroll) eller "10.1" (skyddsåtgärd)' },
  'msbfs-2020-7': { pattern: /^\d{1,2}:\d{1,2}$/, example: '"4:13" (4 kap. 13 §)' },
  'nis2-art21': { pattern: /^[a-j]$/, example: '"g"' },
};

const localized = z.strictObject({ sv: z.string().trim().min(1), en: z.string().trim().min(1) });

const linkSchema = z.strictObject({
  rule: ruleIdSchema,
  /** Why the rule is evidence for the requirement, in Swedish. */
  reason: z.string().trim().min(10, 'en motivering på minst 10 tecken (a reason of at least 10 characters)').max(400),
});

const requirementSchema = z.strictObject({
  id: z.string().trim().min(1).max(32),
  title: localized,
  /** `hög` applies to systems classified K, R or T ≥ 3; only frameworks with `levels` use it. */
  level: z.enum(['bas', 'hög']).optional(),
  /** Requirements this one belongs under (a CIS safeguard's control, a BITS check's chapters). */
  parents: z.array(z.string()).max(5).default([]),
  /** How many sub-requirements the framework has under this one; those not listed count as not covered. */
  children: z.number().int().min(1).max(100).optional(),
  /** The requirement says more than its listed sub-requirements and links cover (BITS chapters). */
  unlistedContent: z.boolean().default(false),
  /** The title or topic is inferred, not verified against the framework's text. */
  inferred: z.boolean().default(false),
  links: z.array(linkSchema).max(100).default([]),
});

const frameworkFileSchema = z.strictObject({
  id: z.enum(FRAMEWORK_IDS),
  name: localized,
  version: z.string().trim().min(1).max(300),
  source: z.url(),
  sources: z.array(z.string().trim().min(1).max(300)).max(10).default([]),
  /** True when every requirement of the framework is listed (or counted through `children`). */
  complete: z.boolean(),
  /** What is found [F] and what is inferred [I]. */
  note: localized,
  levels: z.strictObject({ bas: localized, hög: localized }).optional(),
  requirements: z.array(requirementSchema).min(1).max(500),
});

export interface FrameworkLink {
  ruleId: string;
  reason: string;
  line?: number;
  column?: number;
}

export interface Requirement {
  id: string;
  title: LocalizedText;
  /** Set only in frameworks that distinguish levels. */
  level?: Level;
  parents: readonly string[];
  /** Listed sub-requirements, in file order. */
  children: readonly string[];
  /** Sub-requirements of the framework not listed in the file (not covered). */
  unlisted: number;
  unlistedContent: boolean;
  inferred: boolean;
  links: readonly FrameworkLink[];
  line?: number;
}

export interface Framework {
  id: FrameworkId;
  name: LocalizedText;
  version: string;
  source: string;
  sources: readonly string[];
  complete: boolean;
  note: LocalizedText;
  levels?: { bas: LocalizedText; hög: LocalizedText };
  file: string;
  requirements: readonly Requirement[];
  byId: ReadonlyMap<string, Requirement>;
}

export interface FrameworkSet {
  frameworks: readonly Framework[];
  byId: ReadonlyMap<string, Framework>;
}

export type FrameworkProblem = RuleProblem;

/** Framework files could not be loaded; every problem names file, line and field. */
export class FrameworkLoadError extends Error {
  override name = 'FrameworkLoadError';
  constructor(readonly problems: FrameworkProblem[]) {
    super(`ramverksfilerna kunde inte läsas in (framework files could not be loaded):\n${problems.map(formatFrameworkProblem).join('\n')}`);
  }
}

export function formatFrameworkProblem(p: FrameworkProblem): string {
  return `${problemLocation(p)}: ${p.path ? `${p.path}: ` : ''}${p.message}`;
}

function at(parsed: ParsedYaml, file: string, path: ReadonlyArray<PropertyKey>, message: string): FrameworkProblem {
  const pos = parsed.positionOf(path);
  return { file, path: formatPath(path), message, ...(pos ? { line: pos.line, column: pos.column } : {}) };
}

function loadFile(file: string, problems: FrameworkProblem[]): Framework | undefined {
  let parsed: ParsedYaml;
  try {
    parsed = parseYaml(readFileSync(file, 'utf8'), file);
  } catch (error) {
    if (error instanceof InputFileError) {
      problems.push(...error.problems.map((p) => ({ ...p, file })));
      return undefined;
    }
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    problems.push({ file, path: '', message: `kan inte läsas (cannot be read): ${code}` });
    return undefined;
  }
  const result = frameworkFileSchema.safeParse(parsed.value);
  if (!result.success) {
    problems.push(...problemsWithPositions(result.error, parsed).map((p) => ({ ...p, file })));
    return undefined;
  }
  const def = result.data;
  const before = problems.length;
  if (basename(file, '.yaml') !== def.id) problems.push(at(parsed, file, ['id'], `filen ska heta ${def.id}.yaml (the file name must be the framework id)`));
  const shape = REQUIREMENT_IDS[def.id];
  const byId = new Map<string, Requirement>();
  const requirements: Requirement[] = [];
  def.requirements.forEach((r, i) => {
    const path = ['requirements', i];
    if (!shape.pattern.test(r.id) || (shape.exists && !shape.exists(r.id))) {
      problems.push(at(parsed, file, [...path, 'id'], `"${r.id}" är inget krav i ${def.id} (not a requirement id of this framework; such as ${shape.example})`));
    }
    if (byId.has(r.id)) {
      problems.push(at(parsed, file, [...path, 'id'], `kravet ${r.id} står två gånger (duplicate requirement id)`));
      return;
    }
    if (r.level && !def.levels) problems.push(at(parsed, file, [...path, 'level'], `${def.id} har inga nivåer (the framework has no levels)`));
    const seen = new Set<string>();
    const links: FrameworkLink[] = r.links.map((l, j) => {
      if (seen.has(l.rule)) problems.push(at(parsed, file, [...path, 'links', j, 'rule'], `${l.rule} är länkad två gånger till ${r.id} (duplicate link)`));
      seen.add(l.rule);
      const pos = parsed.positionOf([...path, 'links', j]);
      return { ruleId: l.rule, reason: l.reason, ...(pos ? { line: pos.line, column: pos.column } : {}) };
    });
    const req: Requirement = {
      id: r.id,
      title: r.title,
      ...(def.levels ? { level: r.level ?? 'bas' } : {}),
      parents: r.parents,
      children: [],
      unlisted: 0,
      unlistedContent: r.unlistedContent,
      inferred: r.inferred,
      links,
      line: parsed.lineOf(path),
    };
    byId.set(r.id, req);
    requirements.push(req);
  });
  def.requirements.forEach((r, i) => {
    r.parents.forEach((parentId, j) => {
      const parent = byId.get(parentId);
      if (!parent || parent.id === r.id) {
        problems.push(at(parsed, file, ['requirements', i, 'parents', j], `överordnat krav "${parentId}" finns inte i filen (unknown parent requirement)`));
      } else (parent.children as string[]).push(r.id);
    });
  });
  def.requirements.forEach((r, i) => {
    const req = byId.get(r.id);
    if (!req || r.children === undefined) return;
    const unlisted = r.children - req.children.length;
    if (unlisted < 0) problems.push(at(parsed, file, ['requirements', i, 'children'], `${r.children} är färre än de ${req.children.length} underkrav som står i filen (fewer than the listed sub-requirements)`));
    else req.unlisted = unlisted;
  });
  for (const req of requirements) {
    // A link on a requirement and on one of its sub-requirements says the same thing twice.
    for (const link of req.links) {
      for (const childId of req.children) {
        if (byId.get(childId)?.links.some((l) => l.ruleId === link.ruleId)) {
          problems.push({ file, path: `requirements[${req.id}].links`, message: `${link.ruleId} är länkad både till ${req.id} och till dess underkrav ${childId} (redundant link; keep the one on ${childId})`, ...(link.line !== undefined ? { line: link.line, column: link.column } : {}) });
        }
      }
    }
  }
  if (problems.length > before) return undefined;
  return {
    id: def.id,
    name: def.name,
    version: def.version,
    source: def.source,
    sources: def.sources,
    complete: def.complete,
    note: def.note,
    ...(def.levels ? { levels: def.levels } : {}),
    file,
    requirements,
    byId,
  };
}

/** Loads one framework file of `dir`; problems instead of throwing. */
export function loadFramework(id: FrameworkId, dir: string = FRAMEWORK_DIR): { framework?: Framework; problems: FrameworkProblem[] } {
  const problems: FrameworkProblem[] = [];
  const framework = loadFile(join(dir, `${id}.yaml`), problems);
  return { ...(framework ? { framework } : {}), problems };
}

/** Loads every framework file in `dir`; problems instead of throwing. The set holds the files that loaded. */
export function loadFrameworks(dir: string = FRAMEWORK_DIR): { set: FrameworkSet; problems: FrameworkProblem[] } {
  const problems: FrameworkProblem[] = [];
  let names: string[] = [];
  try {
    names = readdirSync(dir).filter((n) => n.endsWith('.yaml')).sort();
  } catch (error) {
    problems.push({ file: dir, path: '', message: `ramverkskatalogen kan inte läsas (framework directory cannot be read): ${(error as NodeJS.ErrnoException).code ?? String(error)}` });
  }
  const loaded = names.map((n) => loadFile(join(dir, n), problems)).filter((f): f is Framework => f !== undefined);
  const byId = new Map(loaded.map((f) => [f.id as string, f]));
  for (const id of FRAMEWORK_IDS) {
    if (!names.includes(`${id}.yaml`)) problems.push({ file: join(dir, `${id}.yaml`), path: '', message: 'ramverksfilen saknas (framework file missing)' });
  }
  const frameworks = FRAMEWORK_IDS.map((id) => byId.get(id)).filter((f): f is Framework => f !== undefined);
  return { set: { frameworks, byId }, problems };
}

let bundled: FrameworkSet | undefined;

/** The framework files shipped with basvakt, loaded once. Throws FrameworkLoadError when one is broken. */
export function bundledFrameworks(): FrameworkSet {
  if (bundled) return bundled;
  const { set, problems } = loadFrameworks();
  if (problems.length > 0) throw new FrameworkLoadError(problems);
  bundled = set;
  return set;
}

/** The rules and manual controls links may name (a RuleSet). */
export interface RuleCatalogueView {
  allById: ReadonlyMap<string, AnyRule>;
}

/** Links that name no loaded rule or manual control; each problem names file, line and field. */
export function danglingLinks(set: FrameworkSet, rules: RuleCatalogueView): FrameworkProblem[] {
  const problems: FrameworkProblem[] = [];
  for (const framework of set.frameworks) {
    for (const req of framework.requirements) {
      for (const link of req.links) {
        if (rules.allById.has(link.ruleId)) continue;
        problems.push({
          file: framework.file,
          path: `${req.id}.links.${link.ruleId}`,
          message: `regeln ${link.ruleId} finns inte (the link names no rule or manual control)`,
          ...(link.line !== undefined ? { line: link.line, column: link.column } : {}),
        });
      }
    }
  }
  return problems;
}

export interface RuleLink {
  framework: Framework;
  requirement: Requirement;
  reason: string;
}

/** Every requirement a rule is linked to, framework by framework in file order. */
export function linksOfRule(set: FrameworkSet, ruleId: string): RuleLink[] {
  const out: RuleLink[] = [];
  for (const framework of set.frameworks) {
    for (const requirement of framework.requirements) {
      const link = requirement.links.find((l) => l.ruleId === ruleId);
      if (link) out.push({ framework, requirement, reason: link.reason });
    }
  }
  return out;
}
