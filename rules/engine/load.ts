import { readdir, stat } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import { describeProblems, formatPath } from '../../common/validation.js';
import { InputFileError, parseYaml, type ParsedYaml, readInputFile } from '../../common/yaml.js';
import { factSpec } from '../../report/facts/index.js';
import type { TargetKind } from '../../report/schema.js';
import { BITS_CHAPTERS, BITS_CHECK_IDS } from '../bits.js';
import { GOAL_IDS } from '../goals.js';
import { AGGREGATE_FIELDS } from './aggregate-context.js';
import { compileExpression, createCelRuntime, TIME_DEPENDENT_NAMES, type CelRuntime, type CompileOk } from './cel.js';
import { parseEvidencePath, type EvidencePath } from './evidence.js';
import { loadOsLifecycle, type OsLifecycleTable } from './lifecycle.js';
import { checkRuleOverrides } from './params.js';
import { problemsWithLines, type RuleProblem } from './problems.js';
import { ruleFileSchema, type RuleDefinition } from './schema.js';
import type { CompiledRule, CompiledUnknownWhen, Rule, RuleSet } from './types.js';

/** Rule files could not be loaded; `problems` lists every one with file, line and field. */
export class RuleLoadError extends Error {
  override name = 'RuleLoadError';
  constructor(readonly problems: RuleProblem[]) {
    super(`regelpaketen kunde inte läsas in (rule packs could not be loaded):\n${formatRuleProblems(problems)}`);
  }
}

export function formatRuleProblems(problems: readonly RuleProblem[]): string {
  const byFile = new Map<string, RuleProblem[]>();
  for (const p of problems) byFile.set(p.file, [...(byFile.get(p.file) ?? []), p]);
  return [...byFile].map(([file, list]) => describeProblems(list, file)).join('\n');
}

export interface LoadOptions {
  /** Another OS lifecycle table than rules/data/os-lifecycle.yaml (tests). */
  osLifecycleFile?: string;
}

export interface LoadOutcome {
  /** The rules that loaded without problems (aggregates whose rules failed are left out). */
  ruleSet: RuleSet;
  problems: RuleProblem[];
  files: string[];
}

const RULE_FILE = /\.ya?ml$/i;

async function listRuleFiles(dir: string, problems: RuleProblem[]): Promise<string[]> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    problems.push({ file: dir, path: '', message: `regelkatalogen kan inte läsas (rule directory cannot be read): ${code}` });
    return [];
  }
  const files: string[] = [];
  for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) files.push(...(await listRuleFiles(full, problems)));
    else if (entry.isFile() && RULE_FILE.test(entry.name)) files.push(full);
  }
  return files;
}

/** Line of a CEL error inside a (possibly multi-line, block scalar) expression. */
function expressionLine(text: string, keyLine: number | undefined, offset: number | undefined): number | undefined {
  if (keyLine === undefined || offset === undefined) return keyLine;
  const lines = text.split('\n');
  const raw = lines[keyLine - 1] ?? '';
  const afterColon = raw.slice(raw.indexOf(':') + 1).trim();
  const block = /^[|>]/.test(afterColon);
  let line = block ? keyLine + 1 : keyLine;
  let consumed = 0;
  for (;;) {
    const content = block || line !== keyLine ? (lines[line - 1] ?? '').trim() : afterColon;
    if (offset <= consumed + content.length || line >= lines.length) return line;
    consumed += content.length + 1;
    line++;
  }
}

interface FileContext {
  file: string;
  text: string;
  parsed: ParsedYaml;
  problems: RuleProblem[];
}

function problemAt(ctx: FileContext, path: ReadonlyArray<PropertyKey>, message: string, line?: number): void {
  ctx.problems.push({ file: ctx.file, path: formatPath(path), message, line: line ?? ctx.parsed.lineOf(path) });
}

function compileRule(ctx: FileContext, def: RuleDefinition, runtime: CelRuntime): CompiledRule | undefined {
  const before = ctx.problems.length;
  const contextKind = def.aggregate ? 'aggregate' : def.target;
  const referencedFacts = new Set<string>();
  const referencedParams = new Set<string>();
  let timeDependent = false;

  const compile = (path: PropertyKey[], source: string, accept: readonly string[]): CompileOk | undefined => {
    const result = compileExpression(runtime, contextKind, source, accept);
    if (!result.ok) {
      problemAt(ctx, path, result.message, expressionLine(ctx.text, ctx.parsed.lineOf(path), result.offset));
      return undefined;
    }
    for (const fact of result.refs.facts) {
      referencedFacts.add(fact);
      if (def.aggregate) {
        if (!(AGGREGATE_FIELDS as readonly string[]).includes(fact)) {
          problemAt(ctx, path, `aggregate.${fact} finns inte (no such field); fält: ${AGGREGATE_FIELDS.join(', ')}`);
        }
      } else if (!def.facts.includes(fact)) {
        problemAt(ctx, path, `uttrycket läser ${def.target}.${fact} som inte finns i facts (expression reads a fact not declared in facts)`);
      }
    }
    for (const param of result.refs.params) {
      referencedParams.add(param);
      if (!Object.hasOwn(def.params, param)) {
        problemAt(ctx, path, `uttrycket läser params.${param} som inte finns i params (expression reads an undeclared parameter)`);
      }
    }
    if ([...result.refs.names].some((n) => TIME_DEPENDENT_NAMES.has(n))) timeDependent = true;
    return result;
  };

  const applies = def.applies !== undefined ? compile(['applies'], def.applies, ['bool']) : undefined;
  const unknownWhen: CompiledUnknownWhen[] = [];
  def.unknownWhen.forEach((u, i) => {
    const c = compile(['unknownWhen', i, 'when'], u.when, ['bool']);
    if (c) unknownWhen.push({ expression: c.expression, reason: u.reason });
  });
  const check = compile(['check'], def.check, ['bool']);
  const subjects = def.subjects !== undefined ? compile(['subjects'], def.subjects, ['list', 'list<*>']) : undefined;

  const evidence: EvidencePath[] = [];
  const aggregateEvidence: string[] = [];
  const evidencePaths = def.evidence.length > 0 || def.aggregate ? def.evidence : def.facts.map((f) => `${def.target}.${f}`);
  def.evidence.forEach((path, i) => {
    if (def.aggregate) {
      const [root, key, ...rest] = path.split('.');
      if (root !== 'aggregate' || key === undefined || rest.length > 0 || !(AGGREGATE_FIELDS as readonly string[]).includes(key)) {
        problemAt(ctx, ['evidence', i], `"${path}" ska vara aggregate.<fält> (must be aggregate.<field>); fält: ${AGGREGATE_FIELDS.join(', ')}`);
      } else aggregateEvidence.push(key);
    }
  });
  if (!def.aggregate) {
    evidencePaths.forEach((path, i) => {
      const parsed = parseEvidencePath(path, def.target, def.facts);
      if ('message' in parsed) problemAt(ctx, def.evidence.length > 0 ? ['evidence', i] : ['facts'], parsed.message);
      else evidence.push(parsed);
    });
  }

  if (ctx.problems.length > before || !check) return undefined;
  return {
    contextKind,
    applies: applies?.expression,
    appliesFacts: applies ? [...applies.refs.facts] : [],
    unknownWhen,
    check: check.expression,
    subjects: subjects?.expression,
    evidence,
    aggregateEvidence,
    referencedFacts,
    referencedParams,
    timeDependent,
  };
}

function checkDefinition(ctx: FileContext, def: RuleDefinition): void {
  const stem = basename(ctx.file, extname(ctx.file));
  if (stem !== def.id) problemAt(ctx, ['id'], `filen ska heta ${def.id}${extname(ctx.file)} (the file name must be the rule id)`);
  if (def.goals.length === 0 && def.bits.length === 0) {
    problemAt(ctx, ['goals'], 'regeln måste höra till minst ett mål eller ett BITS-kapitel (give goals or bits)');
  }
  def.goals.forEach((g, i) => {
    if (!GOAL_IDS.has(g)) problemAt(ctx, ['goals', i], `okänt mål "${g}" (unknown goal id); se rules/goals.ts`);
  });
  def.bits.forEach((b, i) => {
    if (!Object.hasOwn(BITS_CHAPTERS, b)) problemAt(ctx, ['bits', i], `okänt BITS-kapitel "${b}" (unknown BITS chapter; 1–15)`);
  });
  def.checks.forEach((c, i) => {
    if (!BITS_CHECK_IDS.has(c)) problemAt(ctx, ['checks', i], `okänd kontroll "${c}" (unknown BITS.md §3 check id); se rules/bits.ts`);
  });
  const seen = new Set<string>();
  def.facts.forEach((f, i) => {
    if (seen.has(f)) problemAt(ctx, ['facts', i], `"${f}" står två gånger (listed twice)`);
    seen.add(f);
    if (!factSpec(def.target, f)) problemAt(ctx, ['facts', i], `okänd fakta "${f}" för ${def.target} (not in the fact catalogue)`);
  });
  if (def.aggregate) {
    if (def.target !== 'tenant') problemAt(ctx, ['target'], 'en aggregatregel ska ha target: tenant (an aggregate rule must target the tenant)');
    if (def.facts.length > 0) problemAt(ctx, ['facts'], 'en aggregatregel läser inga fakta (an aggregate rule reads no facts)');
  }
  def.tests.forEach((t, i) => {
    if (t.params) {
      for (const p of checkRuleOverrides(def.params, t.params)) problemAt(ctx, ['tests', i, 'params', ...(p.path ? [p.path] : [])], p.message);
    }
    if (def.aggregate) {
      if (t.facts) problemAt(ctx, ['tests', i, 'facts'], 'ett testfall för en aggregatregel anger aggregate, inte facts (an aggregate test gives aggregate, not facts)');
      if (!t.aggregate) problemAt(ctx, ['tests', i], 'testfallet saknar aggregate (the test case has no aggregate counts)');
    } else {
      if (t.aggregate) problemAt(ctx, ['tests', i, 'aggregate'], 'bara aggregatregler har aggregate i testfall (only aggregate rules)');
      for (const kind of Object.keys(t.facts ?? {})) {
        if (kind !== def.target) problemAt(ctx, ['tests', i, 'facts', kind], `regeln gäller ${def.target}, inte ${kind} (facts must be under ${def.target})`);
      }
    }
  });
}

async function loadOne(file: string, runtime: CelRuntime, problems: RuleProblem[]): Promise<Rule | undefined> {
  let text: string;
  let parsed: ParsedYaml;
  try {
    text = await readInputFile(file);
    parsed = parseYaml(text, file);
  } catch (error) {
    if (error instanceof InputFileError) {
      problems.push(...error.problems.map((p) => ({ ...p, file })));
      return undefined;
    }
    throw error;
  }
  const result = ruleFileSchema.safeParse(parsed.value);
  if (!result.success) {
    problems.push(...problemsWithLines(result.error, parsed).map((p) => ({ ...p, file })));
    return undefined;
  }
  const def = result.data;
  const ctx: FileContext = { file, text, parsed, problems: [] };
  checkDefinition(ctx, def);
  const compiled = ctx.problems.length === 0 ? compileRule(ctx, def, runtime) : undefined;
  problems.push(...ctx.problems);
  if (!compiled || ctx.problems.length > 0) return undefined;
  return { ...def, file, lineOf: parsed.lineOf, compiled };
}

function problemForRule(rule: Rule, path: PropertyKey[], message: string): RuleProblem {
  return { file: rule.file, path: formatPath(path), message, line: rule.lineOf(path) };
}

export function buildRuleSet(rules: Rule[], lifecycle: OsLifecycleTable, runtime: CelRuntime, problems: RuleProblem[]): RuleSet {
  const byId = new Map<string, Rule>();
  for (const rule of rules) {
    const first = byId.get(rule.id);
    if (first) {
      problems.push(problemForRule(rule, ['id'], `id ${rule.id} finns redan i ${first.file} (duplicate rule id)`));
      continue;
    }
    byId.set(rule.id, rule);
  }
  for (const rule of byId.values()) {
    if (!rule.aggregate) continue;
    let kind: TargetKind | undefined;
    let ok = true;
    rule.aggregate.rules.forEach((id, i) => {
      const target = byId.get(id);
      if (!target) {
        problems.push(problemForRule(rule, ['aggregate', 'rules', i], `regeln ${id} finns inte (aggregate.rules names an unknown rule)`));
        ok = false;
      } else if (target.aggregate) {
        problems.push(problemForRule(rule, ['aggregate', 'rules', i], `${id} är själv en aggregatregel (cannot aggregate an aggregate)`));
        ok = false;
      } else if (kind !== undefined && target.target !== kind) {
        problems.push(problemForRule(rule, ['aggregate', 'rules', i], `${id} gäller ${target.target}, de andra ${kind} (all aggregated rules must have one target kind)`));
        ok = false;
      } else kind = target.target;
    });
    if (!ok) byId.delete(rule.id);
  }
  const sorted = [...byId.values()].sort((a, b) => a.id.localeCompare(b.id));
  const byTarget = new Map<TargetKind, Rule[]>();
  for (const rule of sorted) {
    if (rule.aggregate) continue;
    byTarget.set(rule.target, [...(byTarget.get(rule.target) ?? []), rule]);
  }
  return {
    rules: sorted,
    byId,
    byTarget,
    aggregates: sorted.filter((r) => r.aggregate),
    lifecycle,
    runtime,
  };
}

/** Loads every rule file under `dirs`, collecting all problems instead of stopping at the first. */
export async function loadRuleFiles(dirs: readonly string[], options: LoadOptions = {}): Promise<LoadOutcome> {
  const problems: RuleProblem[] = [];
  let lifecycle: OsLifecycleTable;
  try {
    lifecycle = await loadOsLifecycle(options.osLifecycleFile);
  } catch (error) {
    if (!(error instanceof InputFileError)) throw error;
    problems.push(...error.problems.map((p) => ({ ...p, file: error.file })));
    lifecycle = { file: error.file, reviewed: 'invalid', entries: [] };
  }
  const runtime = createCelRuntime(lifecycle);
  const files: string[] = [];
  for (const dir of dirs) {
    try {
      if (!(await stat(dir)).isDirectory()) {
        problems.push({ file: dir, path: '', message: 'är ingen katalog (not a directory)' });
        continue;
      }
    } catch {
      problems.push({ file: dir, path: '', message: 'katalogen finns inte (directory not found)' });
      continue;
    }
    files.push(...(await listRuleFiles(dir, problems)));
  }
  const rules: Rule[] = [];
  for (const file of files) {
    const rule = await loadOne(file, runtime, problems);
    if (rule) rules.push(rule);
  }
  const ruleSet = buildRuleSet(rules, lifecycle, runtime, problems);
  return { ruleSet, problems, files };
}

/**
 * Loads the rule packs under `dirs` (recursively, *.yaml). Throws RuleLoadError listing
 * every problem: bad YAML, schema violations, duplicate ids, unknown goals, facts not in
 * the catalogue, evidence outside the declared facts, CEL errors, unknown aggregate rules,
 * unknown parameter overrides in test cases.
 */
export async function loadRules(dirs: readonly string[], options: LoadOptions = {}): Promise<RuleSet> {
  const outcome = await loadRuleFiles(dirs, options);
  if (outcome.problems.length > 0) throw new RuleLoadError(outcome.problems);
  return outcome.ruleSet;
}
