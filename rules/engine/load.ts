import { readdir, stat } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import { formatPath } from '../../common/validation.js';
import { InputFileError, parseYaml, type ParsedYaml, readInputFile } from '../../common/yaml.js';
import { factSpec } from '../../report/facts/index.js';
import type { TargetKind } from '../../report/schema.js';
import { bitsCheckIds } from '../bits.js';
import { FrameworkLoadError } from '../frameworks/index.js';
import { GOAL_IDS } from '../goals.js';
import { AGGREGATE_FIELDS } from './aggregate-context.js';
import { compileExpression, createCelRuntime, TIME_DEPENDENT_NAMES, type CelRuntime, type CompileOk } from './cel.js';
import { parseEvidencePath, type EvidencePath } from './evidence.js';
import { loadOsLifecycle, type OsLifecycleTable } from './lifecycle.js';
import { checkRuleOverrides } from './params.js';
import { problemLocation, problemsWithPositions, type RuleProblem } from './problems.js';
import { AUTOMATED_ONLY_FIELDS, manualControlSchema, ruleFileSchema, type ManualRuleDefinition, type RuleDefinition } from './schema.js';
import type { AnyRule, CompiledRule, CompiledUnknownWhen, ManualRule, Rule, RuleSet } from './types.js';

/** Rule files could not be loaded; `problems` lists every one with file, line and field. */
export class RuleLoadError extends Error {
  override name = 'RuleLoadError';
  constructor(readonly problems: RuleProblem[]) {
    super(`regelpaketen kunde inte läsas in (rule packs could not be loaded):\n${formatRuleProblems(problems)}`);
  }
}

/** One problem a line: `file:line:column: field: message`. */
export function formatRuleProblems(problems: readonly RuleProblem[]): string {
  return problems.map((p) => `${problemLocation(p)}: ${p.path ? `${p.path}: ` : ''}${p.message}`).join('\n');
}

export interface LoadOptions {
  /** Another OS lifecycle table than rules/data/os-lifecycle.yaml (tests). */
  osLifecycleFile?: string;
  /**
   * Rule packs loaded as context only: their rules can be aggregated and their ids clash with
   * the packs being checked, but their own problems are not reported and they are not part of
   * `files`. A kommun's pack is linted with the bundled packs as context.
   */
  contextDirs?: readonly string[];
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

/**
 * Line and column of a CEL error inside a (possibly multi-line, block scalar) expression, from
 * the offset into the expression. Without an offset, the position of the key.
 */
function expressionPosition(text: string, key: { line: number; column: number } | undefined, offset: number | undefined): { line: number; column: number } | undefined {
  if (key === undefined || offset === undefined) return key;
  const lines = text.split('\n');
  const raw = lines[key.line - 1] ?? '';
  const colon = raw.indexOf(':', key.column - 1);
  const rest = raw.slice(colon + 1);
  const afterColon = rest.trim();
  const block = /^[|>]/.test(afterColon);
  let line = block ? key.line + 1 : key.line;
  let consumed = 0;
  for (;;) {
    const full = lines[line - 1] ?? '';
    const inline = !block && line === key.line;
    const content = inline ? afterColon : full.trim();
    const start = inline ? colon + 1 + (rest.length - rest.trimStart().length) : full.length - full.trimStart().length;
    if (offset <= consumed + content.length || line >= lines.length) return { line, column: start + Math.max(0, offset - consumed) + 1 };
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

function problemAt(ctx: FileContext, path: ReadonlyArray<PropertyKey>, message: string, position?: { line: number; column: number }): void {
  const pos = position ?? ctx.parsed.positionOf(path);
  ctx.problems.push({ file: ctx.file, path: formatPath(path), message, ...(pos ? { line: pos.line, column: pos.column } : {}) });
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
      problemAt(ctx, path, result.message, expressionPosition(ctx.text, ctx.parsed.positionOf(path), result.offset));
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

/** Checks shared by automated rules and manual controls: file name, goals, BITS checks. */
function checkCommon(ctx: FileContext, def: RuleDefinition | ManualRuleDefinition): void {
  const stem = basename(ctx.file, extname(ctx.file));
  if (stem !== def.id) problemAt(ctx, ['id'], `filen ska heta ${def.id}${extname(ctx.file)} (the file name must be the rule id)`);
  if (def.goals.length === 0 && def.checks.length === 0) {
    problemAt(ctx, ['goals'], 'regeln måste höra till minst ett mål eller en BITS-kontroll (give goals or checks)');
  }
  def.goals.forEach((g, i) => {
    if (!GOAL_IDS.has(g)) problemAt(ctx, ['goals', i], `okänt mål "${g}" (unknown goal id); se rules/goals.ts`);
  });
  let known: ReadonlySet<string>;
  try {
    known = bitsCheckIds();
  } catch (error) {
    if (!(error instanceof FrameworkLoadError)) throw error;
    ctx.problems.push(...error.problems);
    return;
  }
  def.checks.forEach((c, i) => {
    if (!known.has(c)) problemAt(ctx, ['checks', i], `okänd kontroll "${c}" (unknown BITS.md §3 check id); se rules/frameworks/bits.yaml`);
  });
}

function checkDefinition(ctx: FileContext, def: RuleDefinition): void {
  checkCommon(ctx, def);
  if (!def.aggregate && def.facts.length === 0) {
    problemAt(ctx, ['facts'], 'facts saknas: en automatisk regel läser minst en fakta (an automated rule needs facts; a rule confirmed by a person is written with manual:)');
  }
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

/** Refuses the fields of automated rules in a manual control, at each offending key. */
function manualProblems(ctx: FileContext, value: Record<string, unknown>): Record<string, unknown> {
  const rest = { ...value };
  for (const key of AUTOMATED_ONLY_FIELDS) {
    if (!Object.hasOwn(value, key)) continue;
    problemAt(ctx, [key], `en manuell kontroll har ingen ${key}: den bekräftas av en person, inte av fakta (a manual control has no ${key})`);
    delete rest[key];
  }
  return rest;
}

async function loadOne(file: string, runtime: CelRuntime, problems: RuleProblem[]): Promise<AnyRule | undefined> {
  let text: string;
  let parsed: ParsedYaml;
  try {
    text = await readInputFile(file);
    parsed = parseYaml(text, file);
  } catch (error) {
    if (error instanceof InputFileError) {
      // Parser errors come with a column and in English from the YAML library.
      problems.push(...error.problems.map((p) => ({ ...p, file, ...(p.column !== undefined ? { message: `YAML-syntaxfel (YAML syntax error): ${p.message}` } : {}) })));
      return undefined;
    }
    throw error;
  }
  const ctx: FileContext = { file, text, parsed, problems: [] };
  const value = parsed.value;
  const source = { file, lineOf: parsed.lineOf, positionOf: parsed.positionOf };
  if (value !== null && typeof value === 'object' && !Array.isArray(value) && Object.hasOwn(value, 'manual')) {
    const result = manualControlSchema.safeParse(manualProblems(ctx, value as Record<string, unknown>));
    if (!result.success) ctx.problems.push(...problemsWithPositions(result.error, parsed).map((p) => ({ ...p, file })));
    else checkCommon(ctx, result.data);
    problems.push(...ctx.problems);
    if (!result.success || ctx.problems.length > 0) return undefined;
    const rule: ManualRule = { ...result.data, ...source };
    return rule;
  }
  const result = ruleFileSchema.safeParse(value);
  if (!result.success) {
    problems.push(...problemsWithPositions(result.error, parsed).map((p) => {
      const missingCheck = p.path === 'check' && (value as Record<string, unknown> | null)?.check === undefined;
      return { ...p, file, ...(missingCheck ? { message: 'check saknas: en automatisk regel behöver ett villkor i CEL (give check, or manual: for a control confirmed by a person)' } : {}) };
    }));
    return undefined;
  }
  const def = result.data;
  checkDefinition(ctx, def);
  const compiled = ctx.problems.length === 0 ? compileRule(ctx, def, runtime) : undefined;
  problems.push(...ctx.problems);
  if (!compiled || ctx.problems.length > 0) return undefined;
  return { ...def, ...source, compiled };
}

function problemForRule(rule: AnyRule, path: PropertyKey[], message: string): RuleProblem {
  const pos = rule.positionOf(path);
  return { file: rule.file, path: formatPath(path), message, ...(pos ? { line: pos.line, column: pos.column } : {}) };
}

export function buildRuleSet(
  rules: AnyRule[],
  lifecycle: OsLifecycleTable,
  runtime: CelRuntime,
  problems: RuleProblem[],
  isContext: (file: string) => boolean = () => false,
): RuleSet {
  const byId = new Map<string, AnyRule>();
  for (const rule of rules) {
    const first = byId.get(rule.id);
    if (first) {
      const where = isContext(first.file) ? `en medföljande regel i ${first.file} (clashes with a bundled rule)` : `${first.file} (duplicate rule id)`;
      problems.push(problemForRule(rule, ['id'], `id ${rule.id} finns redan: ${where}`));
      continue;
    }
    byId.set(rule.id, rule);
  }
  for (const rule of byId.values()) {
    if (!('compiled' in rule) || !rule.aggregate) continue;
    let kind: TargetKind | undefined;
    let ok = true;
    rule.aggregate.rules.forEach((id, i) => {
      const target = byId.get(id);
      if (!target) {
        problems.push(problemForRule(rule, ['aggregate', 'rules', i], `regeln ${id} finns inte (aggregate.rules names an unknown rule)`));
        ok = false;
      } else if (!('compiled' in target)) {
        problems.push(problemForRule(rule, ['aggregate', 'rules', i], `${id} är en manuell kontroll och har inga resultat per enhet (cannot aggregate a manual control)`));
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
  const all = [...byId.values()].sort((a, b) => a.id.localeCompare(b.id));
  const automated = all.filter((r): r is Rule => 'compiled' in r);
  const byTarget = new Map<TargetKind, Rule[]>();
  for (const rule of automated) {
    if (rule.aggregate) continue;
    byTarget.set(rule.target, [...(byTarget.get(rule.target) ?? []), rule]);
  }
  return {
    rules: automated,
    byId: new Map(automated.map((r) => [r.id, r])),
    manual: all.filter((r): r is ManualRule => !('compiled' in r)),
    all,
    allById: byId,
    byTarget,
    aggregates: automated.filter((r) => r.aggregate),
    lifecycle,
    runtime,
  };
}

async function existingDirFiles(dirs: readonly string[], problems: RuleProblem[]): Promise<string[]> {
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
  return files;
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
  const contextProblems: RuleProblem[] = [];
  const contextFiles = new Set(await existingDirFiles(options.contextDirs ?? [], contextProblems));
  const files = (await existingDirFiles(dirs, problems)).filter((f) => !contextFiles.has(f));
  const rules: AnyRule[] = [];
  for (const file of [...contextFiles, ...files]) {
    const rule = await loadOne(file, runtime, contextFiles.has(file) ? contextProblems : problems);
    if (rule) rules.push(rule);
  }
  const ruleSet = buildRuleSet(rules, lifecycle, runtime, problems, (file) => contextFiles.has(file));
  return { ruleSet, problems: problems.filter((p) => !contextFiles.has(p.file)), files };
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
