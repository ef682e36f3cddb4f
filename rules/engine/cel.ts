import { Environment, type ASTNode } from '@marcbachmann/cel-js';
import type { TargetKind } from '../../report/schema.js';
import {
  daysUntilEndOfLife,
  matchLifecycle,
  LifecycleLookupError,
  type OsDescriptor,
  type OsLifecycleTable,
} from './lifecycle.js';
import { flowAllowed, inRanges, isUplink, overlappingRange, portLabel, rangeLabel, subnetOf, vlanLabel, zoneOf, zonesOf } from './network.js';
import { compileClosure, type ClosureFunction, type SharedValues } from './cel-closures.js';

export { newEvaluation } from './cel-closures.js';

/**
 * The CEL side of the engine: one environment per kind of context (each target kind,
 * plus `aggregate` for tenant aggregate rules), the functions rules may call, and
 * compilation with a type check at load time.
 *
 * Numbers: JSON numbers (fact values, parameters, aggregate counts) are CEL doubles;
 * integer literals and size() are CEL ints (BigInt). Comparisons between the two work
 * (`size(x) > 0`, `x.age <= 7`), arithmetic mixing them does not (`size(x) * 1.0` fails):
 * use double(size(x)). The functions below take and return doubles.
 */

export type ContextKind = TargetKind | 'aggregate';

/** Current evaluation time, read by the time functions. Set before each evaluation. */
export interface CelClock {
  now: number;
}

/** The library's parsed, type-checked expression; calling it runs the interpreter. */
export type ParsedExpression = ReturnType<Environment['parse']>;

/**
 * An expression ready to evaluate: `expression(context)` gives its value or throws the
 * CEL error. Runs as closures (rules/engine/cel-closures.ts) where the expression and the
 * values allow it, otherwise with the interpreter; both give the same value or error.
 */
export interface CompiledExpression {
  /** `evaluation` (newEvaluation()) shares repeated subexpressions within one rule evaluation. */
  (context: Record<string, unknown>, evaluation?: number): unknown;
  readonly ast: ASTNode;
  /** The interpreter alone, for comparison in tests. */
  readonly interpret: ParsedExpression;
  /** Why the expression is not compiled to closures (and always interpreted); undefined when it is. */
  readonly interpretedBecause: string | undefined;
}

export interface CelRuntime {
  clock: CelClock;
  environment(kind: ContextKind): Environment;
  /** The functions registered in every environment, for the closure compiler. */
  functions: readonly ClosureFunction[];
  /** Subexpressions shared between the compiled expressions, per context kind. */
  shared(kind: ContextKind): SharedValues;
}

const DAY_MS = 86_400_000;

/** Functions a rule may call, for documentation and lint. */
export const CEL_FUNCTIONS = {
  daysSince: 'daysSince(string timestamp) -> double: days from the timestamp to now (negative if in the future)',
  daysUntilEndOfLife:
    'daysUntilEndOfLife(map os) or daysUntilEndOfLife(string osId, string version) -> double: days until the OS loses vendor security support (negative when past); error when the OS is not in rules/data/os-lifecycle.yaml',
  endOfLifeLabel: 'endOfLifeLabel(map os) -> string: "Debian 11 (bullseye) (EOL 2026-08-31)"',
  zoneOf: 'zoneOf(vlanId, vlanName, list<string> zones) -> string: the zone of a VLAN by id, else by name pattern; "" when none (rules/engine/network.ts)',
  zonesOf: 'zonesOf(list vlanIds, list vlans, list<string> zones) -> list<string>: the distinct zones of the VLANs, sorted',
  isUplink: 'isUplink(map port) -> bool: more than one VLAN towards an LLDP neighbour that is a bridge, router or access point (BITS §5)',
  inRanges: 'inRanges(string cidr, list<string> ranges) -> bool: the address or subnet lies inside one of the ranges',
  overlappingRange: 'overlappingRange(string cidr, list<string> ranges) -> string: the first range overlapping the subnet, "" when none',
  rangeLabel: 'rangeLabel(string cidr, list<string> ranges) -> string: the label of the first range ("ADM=10.10.0.0/16") holding the address',
  subnetOf: 'subnetOf(string address, prefixLength) -> string: "10.10.0.1", 24 → "10.10.0.0/24"',
  portLabel: 'portLabel(map port) -> string: the ifName, else "port <baseport>"',
  vlanLabel: 'vlanLabel(map vlan) -> string: "VLAN 10 (adm-kansli)"',
  flowAllowed: 'flowAllowed(string fromZone, string host, string toZone, port, list<string> flows) -> bool: the allowed-flows list permits it',
} as const;

/** Names that make a rule depend on the evaluation time. */
export const TIME_DEPENDENT_NAMES: ReadonlySet<string> = new Set(['now', 'daysSince', 'daysUntilEndOfLife', 'endOfLifeLabel']);

function osDescriptor(value: unknown): OsDescriptor {
  const get = (key: string): unknown => (value instanceof Map ? value.get(key) : (value as Record<string, unknown>)?.[key]);
  const id = get('id');
  const version = get('version');
  if (typeof id !== 'string' || typeof version !== 'string') {
    throw new LifecycleLookupError('os saknar id eller version (os has no id or version)');
  }
  const opt = (key: string) => {
    const v = get(key);
    return typeof v === 'string' ? v : null;
  };
  const isServer = get('isServer');
  return { id, version, build: opt('build'), edition: opt('edition'), isServer: typeof isServer === 'boolean' ? isServer : null };
}

export function createCelRuntime(lifecycle: OsLifecycleTable): CelRuntime {
  const clock: CelClock = { now: Date.now() };

  const signatures: [signature: string, impl: (...args: never[]) => unknown][] = [
    [
      'daysSince(string): double',
      (timestamp: string) => {
        const t = Date.parse(timestamp);
        if (Number.isNaN(t)) throw new Error(`ogiltig tidpunkt "${timestamp}" (invalid timestamp)`);
        return (clock.now - t) / DAY_MS;
      },
    ],
    ['daysUntilEndOfLife(map): double', (os: unknown) => daysUntilEndOfLife(matchLifecycle(lifecycle, osDescriptor(os), clock.now), clock.now)],
    [
      'daysUntilEndOfLife(string, string): double',
      (id: string, version: string) => daysUntilEndOfLife(matchLifecycle(lifecycle, { id, version }, clock.now), clock.now),
    ],
    ['endOfLifeLabel(map): string', (os: unknown) => matchLifecycle(lifecycle, osDescriptor(os), clock.now).label],
    ['zoneOf(dyn, dyn, list): string', (id: unknown, name: unknown, zones: string[]) => zoneOf(id, name, zones)],
    ['zonesOf(list, list, list): list<string>', (ids: unknown[], vlans: unknown[], zones: string[]) => zonesOf(ids, vlans, zones)],
    ['isUplink(map): bool', (port: unknown) => isUplink(port)],
    ['inRanges(string, list): bool', (cidr: string, ranges: string[]) => inRanges(cidr, ranges)],
    ['overlappingRange(string, list): string', (cidr: string, ranges: string[]) => overlappingRange(cidr, ranges)],
    ['rangeLabel(string, list): string', (cidr: string, ranges: string[]) => rangeLabel(cidr, ranges)],
    ['subnetOf(string, dyn): string', (address: string, bits: unknown) => subnetOf(address, bits)],
    ['portLabel(map): string', (port: unknown) => portLabel(port)],
    ['vlanLabel(map): string', (vlan: unknown) => vlanLabel(vlan)],
    [
      'flowAllowed(string, string, string, dyn, list): bool',
      (from: string, host: string, to: string, port: unknown, flows: string[]) => flowAllowed(from, host, to, port, flows),
    ],
  ];
  const base = new Environment({ unlistedVariablesAreDyn: false });
  const functions: ClosureFunction[] = [];
  for (const [signature, impl] of signatures) {
    base.registerFunction(signature, impl);
    const [, name, params] = /^(\w+)\((.*)\):/.exec(signature)!;
    functions.push({ name: name!, params: params!.split(',').map((p) => p.trim()), impl });
  }

  const cache = new Map<ContextKind, Environment>();
  const shared = new Map<ContextKind, SharedValues>();
  return {
    clock,
    functions,
    shared(kind) {
      let values = shared.get(kind);
      if (!values) shared.set(kind, (values = new Map()));
      return values;
    },
    environment(kind) {
      let env = cache.get(kind);
      if (!env) {
        env = base.clone();
        for (const [name, type] of contextVariables(kind)) env.registerVariable(name, type);
        cache.set(kind, env);
      }
      return env;
    },
  };
}

export interface CompileOk {
  ok: true;
  expression: CompiledExpression;
  /** Static type CEL inferred: bool, list<string>, dyn, … */
  type: string;
  /** Fields read from the context root, such as antivirus in host.antivirus. */
  refs: { facts: Set<string>; params: Set<string>; names: Set<string> };
}

export interface CompileError {
  ok: false;
  message: string;
  /** Offset into the expression where the error is, if known. */
  offset?: number;
}

function firstLine(message: string): string {
  return (message.split('\n')[0] ?? message).trim();
}

/** Collects the context fields an expression reads and the functions/variables it names. */
function collectRefs(ast: ASTNode, root: string): CompileOk['refs'] {
  const refs = { facts: new Set<string>(), params: new Set<string>(), names: new Set<string>() };
  const visit = (node: unknown): void => {
    if (node === null || typeof node !== 'object') return;
    if (Array.isArray(node)) {
      node.forEach(visit);
      return;
    }
    const n = node as { op?: string; args?: unknown };
    if (typeof n.op !== 'string') return;
    if (n.op === 'id' && typeof n.args === 'string') refs.names.add(n.args);
    if ((n.op === 'call' || n.op === 'rcall') && Array.isArray(n.args) && typeof n.args[0] === 'string') refs.names.add(n.args[0]);
    if ((n.op === '.' || n.op === '.?' || n.op === '[]' || n.op === '[?]') && Array.isArray(n.args)) {
      const [object, field] = n.args as [{ op?: string; args?: unknown }, unknown];
      const key = typeof field === 'string' ? field : (field as { op?: string; args?: unknown })?.op === 'value' ? (field as { args: unknown }).args : undefined;
      if (object?.op === 'id' && typeof key === 'string') {
        if (object.args === root) refs.facts.add(key);
        if (object.args === 'params') refs.params.add(key);
      }
    }
    // Unary operators (!_, -_) hold a single node in args; the others an array.
    visit(n.args);
  };
  visit(ast);
  return refs;
}

/**
 * Parses and type-checks an expression in the environment of its context kind.
 * `accept` lists the static result types allowed (dyn is always accepted; `list<*>` means any list).
 */
export function compileExpression(
  runtime: CelRuntime,
  kind: ContextKind,
  source: string,
  accept: readonly string[],
): CompileOk | CompileError {
  const env = runtime.environment(kind);
  let expression: ParsedExpression;
  try {
    expression = env.parse(source);
  } catch (error) {
    const e = error as { message?: string; range?: { start: number } };
    return { ok: false, message: `syntaxfel (syntax error): ${firstLine(e.message ?? String(error))}`, offset: e.range?.start };
  }
  const checked = expression.check();
  if (!checked.valid) {
    const e = checked.error as { message?: string; range?: { start: number } } | undefined;
    return { ok: false, message: `typfel (type error): ${firstLine(e?.message ?? 'invalid expression')}`, offset: e?.range?.start };
  }
  const type = checked.type ?? 'dyn';
  const accepted = accept.some((a) => a === type || (a.endsWith('<*>') && type.startsWith(a.slice(0, -2))));
  if (type !== 'dyn' && !accepted) {
    return { ok: false, message: `uttrycket ger ${type}, väntat ${accept.join(' eller ')} (expression yields ${type}, expected ${accept.join(' or ')})` };
  }
  return { ok: true, expression: withClosures(expression, runtime, kind), type, refs: collectRefs(expression.ast, kind) };
}

/** The context variables of an environment, with their CEL types: `{ <kind>, params, now }`. */
function contextVariables(kind: ContextKind): ReadonlyMap<string, string> {
  return new Map([
    [kind, 'map'],
    ['params', 'map'],
    ['now', 'google.protobuf.Timestamp'],
  ]);
}

/** The expression as closures with the interpreter behind them, or the interpreter alone. */
function withClosures(parsed: ParsedExpression, runtime: CelRuntime, kind: ContextKind): CompiledExpression {
  const compiled = compileClosure(parsed.ast, contextVariables(kind), runtime.functions, runtime.shared(kind));
  const closure = 'closure' in compiled ? compiled.closure : undefined;
  const run = closure
    ? (context: Record<string, unknown>, evaluation?: number): unknown => {
        try {
          return closure(context, evaluation);
        } catch {
          // Outside what the closures are sure of, or a CEL error: the interpreter decides,
          // with its own value or error message.
          return parsed(context);
        }
      }
    : (context: Record<string, unknown>): unknown => parsed(context);
  return Object.assign(run, { ast: parsed.ast, interpret: parsed, interpretedBecause: 'unsupported' in compiled ? compiled.unsupported : undefined });
}

/** The first line of a CEL evaluation error, for a result's reason. */
export function celErrorMessage(error: unknown): string {
  if (error instanceof Error) return firstLine(error.message);
  return firstLine(String(error));
}
