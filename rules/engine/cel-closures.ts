import type { ASTNode } from '@marcbachmann/cel-js';

/**
 * Compiles a type-checked CEL expression into JavaScript closures, for the subset of CEL
 * the rule packs use: field access, comparisons, logic, arithmetic on doubles and ints,
 * string concatenation, `in`, the list macros, size/string/int/double/dyn, a few string
 * methods and the engine's own functions.
 *
 * The closures only take the paths where the result is certain: every operand is checked
 * to be of the exact kind the operation expects, and anything else — a missing key, a
 * null where a bool belongs, a type the interpreter would refuse or resolve differently —
 * throws. The caller then evaluates the expression again with the library's interpreter,
 * which gives the value or the error (and its message) CEL defines. So a closure either
 * returns what the interpreter returns, or defers to it; an expression outside the subset
 * is not compiled at all (compileClosure says why).
 *
 * Values are JSON data (facts, parameters) and what the expressions make of them.
 */

/** A function the rules may call, as registered in the CEL environment. */
export interface ClosureFunction {
  name: string;
  /** CEL parameter types: string, double, int, bool, map, list, dyn. */
  params: readonly string[];
  impl: (...args: never[]) => unknown;
}

/** Thrown by a closure to hand the evaluation to the interpreter. Not an Error: no stack. */
const DEFER: unique symbol = Symbol('defer to the CEL interpreter');

type Closure = (ctx: Record<string, unknown>, vars: unknown[]) => unknown;

function defer(): never {
  throw DEFER;
}

const MAX_INT = 9223372036854775807n;
const MIN_INT = -9223372036854775808n;

/** A JSON object as the interpreter sees a map (it dispatches on `constructor`). */
function isMap(v: unknown): v is Record<string, unknown> {
  if (v === null || typeof v !== 'object') return false;
  const c = (v as { constructor?: unknown }).constructor;
  return c === Object || c === undefined;
}

/** A value the interpreter accepts from a field: JSON data or an int. */
function isCelValue(v: unknown): boolean {
  switch (typeof v) {
    case 'string':
    case 'number':
    case 'boolean':
    case 'bigint':
      return true;
    case 'object':
      return v === null || Array.isArray(v) || isMap(v);
    default:
      return false;
  }
}

function isPrimitive(v: unknown): boolean {
  const t = typeof v;
  return v === null || t === 'string' || t === 'number' || t === 'boolean' || t === 'bigint';
}

/** A guard for a value of a CEL type; undefined for a type the closures do not handle. */
function typeGuard(type: string): ((v: unknown) => boolean) | undefined {
  switch (type) {
    case 'dyn':
      return isCelValue;
    case 'string':
      return (v) => typeof v === 'string';
    case 'double':
      return (v) => typeof v === 'number';
    case 'int':
      return (v) => typeof v === 'bigint';
    case 'bool':
      return (v) => typeof v === 'boolean';
    case 'map':
    case 'map<dyn, dyn>':
      return isMap;
    case 'list':
    case 'list<dyn>':
      return Array.isArray;
    case 'google.protobuf.Timestamp':
      return (v) => v instanceof Date;
    default:
      return undefined;
  }
}

/** CEL equality of two primitives (null, bool, string, double, int); defers otherwise. */
function equals(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  const ta = typeof a;
  const tb = typeof b;
  // An int equals a double of the same value (JavaScript compares bigint and number exactly).
  if ((ta === 'bigint' && tb === 'number') || (ta === 'number' && tb === 'bigint')) return a == b; // eslint-disable-line eqeqeq
  if (isPrimitive(a) && isPrimitive(b)) return false;
  // null against a list or a map is false; anything else between objects is the interpreter's.
  if ((a === null && (Array.isArray(b) || isMap(b))) || (b === null && (Array.isArray(a) || isMap(a)))) return false;
  return defer();
}

function bool(v: unknown): boolean {
  return typeof v === 'boolean' ? v : defer();
}

function int(v: bigint): bigint {
  return v <= MAX_INT && v >= MIN_INT ? v : defer();
}

function comparable(a: unknown, b: unknown): boolean {
  const ta = typeof a;
  const tb = typeof b;
  if (ta === 'number' || ta === 'bigint') return tb === 'number' || tb === 'bigint';
  return (ta === 'string' || ta === 'boolean') && ta === tb;
}

function arithmetic(op: string, a: unknown, b: unknown): unknown {
  if (typeof a === 'number' && typeof b === 'number') {
    switch (op) {
      case '+':
        return a + b;
      case '-':
        return a - b;
      case '*':
        return a * b;
      case '/':
        return a / b;
    }
  } else if (typeof a === 'bigint' && typeof b === 'bigint') {
    switch (op) {
      case '+':
        return int(a + b);
      case '-':
        return int(a - b);
      case '*':
        return int(a * b);
    }
  } else if (op === '+' && typeof a === 'string' && typeof b === 'string') return a + b;
  return defer();
}

function stringSize(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

function size(v: unknown): bigint {
  if (Array.isArray(v)) return BigInt(v.length);
  if (typeof v === 'string') return BigInt(stringSize(v));
  return defer();
}

function toString(v: unknown): string {
  switch (typeof v) {
    case 'string':
      return v;
    case 'boolean':
    case 'bigint':
      return `${v}`;
    case 'number':
      return v === Infinity ? '+Inf' : v === -Infinity ? '-Inf' : `${v}`;
    default:
      return defer();
  }
}

function toInt(v: unknown): bigint {
  if (typeof v === 'bigint') return v;
  if (typeof v === 'number' && Number.isFinite(v)) return BigInt(Math.trunc(v));
  return defer();
}

function toDouble(v: unknown): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  return defer();
}

const hasOwnProperty = Object.prototype.hasOwnProperty;

function field(left: unknown, key: string): unknown {
  if (!isMap(left) || !hasOwnProperty.call(left, key)) return defer();
  const v = left[key];
  return isCelValue(v) ? v : defer();
}

function index(left: unknown, key: unknown): unknown {
  let v: unknown;
  if (Array.isArray(left)) {
    const i = typeof key === 'bigint' ? Number(key) : key;
    if (typeof i !== 'number' || !Number.isInteger(i) || i < 0 || i >= left.length) return defer();
    v = left[i];
  } else if (isMap(left) && typeof key === 'string' && hasOwnProperty.call(left, key)) v = left[key];
  else return defer();
  return isCelValue(v) ? v : defer();
}

function list(v: unknown): unknown[] {
  return Array.isArray(v) ? v : defer();
}

interface Scope {
  /** Iteration variables in scope, innermost last, with their slot in `vars`. */
  locals: readonly { name: string; slot: number }[];
}

class Unsupported extends Error {}

const MACROS: ReadonlySet<string> = new Set(['all', 'exists', 'exists_one', 'filter', 'map']);

/**
 * A subexpression that occurs more than once in the loaded rules (the same condition in a
 * rule's unknownWhen, check and subjects): its value is kept for the rest of one rule
 * evaluation. Cells are shared by every expression of a context kind.
 */
export interface SharedValue {
  /** How many compiled expressions contain the subexpression; memoized only when > 1. */
  uses: number;
  /** The rule evaluation the value belongs to. */
  evaluation: number;
  value: unknown;
}

export type SharedValues = Map<string, SharedValue>;

/** vars[EVALUATION]: the rule evaluation the expression runs in (undefined: no memo). */
const EVALUATION = 0;

/** A structural key of a subtree: equal keys give equal values in one context. */
function structuralKey(node: unknown): string {
  if (Array.isArray(node)) return `[${node.map(structuralKey).join(',')}]`;
  if (node !== null && typeof node === 'object' && typeof (node as { op?: unknown }).op === 'string') {
    const n = node as { op: string; args: unknown };
    return `(${n.op} ${structuralKey(n.args)})`;
  }
  if (typeof node === 'bigint') return `${node}n`;
  if (typeof node === 'number') return Object.is(node, -0) ? '-0d' : `${node}d`;
  return JSON.stringify(node) ?? String(node);
}

/** The compiler: one closure per AST node. Throws Unsupported outside the subset. */
class Compiler {
  /** Slot 0 holds the evaluation id; iteration variables follow. */
  slots = 1;
  /** Slots of the iteration variables read so far, to tell which subtrees depend on them. */
  private localReads: number[] = [];

  constructor(
    private readonly roots: ReadonlyMap<string, (v: unknown) => boolean>,
    private readonly functions: ReadonlyMap<string, ClosureFunction>,
    private readonly shared: SharedValues | undefined,
  ) {}

  compile(node: ASTNode, scope: Scope): Closure {
    const op = node.op as string;
    if (!this.shared || (op !== '.' && op !== 'call' && op !== 'rcall')) return this.compileNode(node, scope);
    const reads = this.localReads.length;
    const bound = this.slots;
    const inner = this.compileNode(node, scope);
    // A subtree reading an iteration variable bound outside it has no value of its own.
    if (this.localReads.slice(reads).some((slot) => slot < bound)) return inner;
    const key = structuralKey(node);
    let cell = this.shared.get(key);
    if (!cell) this.shared.set(key, (cell = { uses: 0, evaluation: 0, value: undefined }));
    cell.uses++;
    const memo = cell;
    return (ctx, vars) => {
      if (memo.uses < 2) return inner(ctx, vars);
      const evaluation = vars[EVALUATION] as number | undefined;
      if (evaluation === undefined) return inner(ctx, vars);
      if (memo.evaluation === evaluation) return memo.value;
      const value = inner(ctx, vars);
      memo.evaluation = evaluation;
      memo.value = value;
      return value;
    };
  }

  private compileNode(node: ASTNode, scope: Scope): Closure {
    const n = node as ASTNode & { args: unknown; checkedType?: { name: string; kind: string; valueType?: { name: string } }; meta?: { alternate?: unknown } };
    // The parser replaces a constant by its value and a macro by its expansion (`alternate`);
    // macros are compiled from their call, constants not at all.
    if (n.meta?.alternate && !(n.op === 'rcall' && MACROS.has((n.args as unknown as [string])[0]))) throw new Unsupported(`${n.op} with an alternate`);
    switch (n.op) {
      case 'value': {
        const v = n.args;
        if (!isPrimitive(v)) throw new Unsupported('literal');
        return () => v;
      }
      case 'id':
        return this.identifier(n.args as string, scope);
      case 'list': {
        const items = (n.args as ASTNode[]).map((a) => this.compile(a, scope));
        return (ctx, vars) => items.map((item) => item(ctx, vars));
      }
      case '.':
        return this.path(n, scope);
      case '[]': {
        const [left, key] = (n.args as ASTNode[]).map((a) => this.compile(a, scope)) as [Closure, Closure];
        return (ctx, vars) => index(left(ctx, vars), key(ctx, vars));
      }
      case '&&': {
        const [left, right] = (n.args as ASTNode[]).map((a) => this.compile(a, scope)) as [Closure, Closure];
        return (ctx, vars) => bool(left(ctx, vars)) && bool(right(ctx, vars));
      }
      case '||': {
        const [left, right] = (n.args as ASTNode[]).map((a) => this.compile(a, scope)) as [Closure, Closure];
        return (ctx, vars) => bool(left(ctx, vars)) || bool(right(ctx, vars));
      }
      case '!_': {
        const operand = this.compile(n.args as ASTNode, scope);
        return (ctx, vars) => !bool(operand(ctx, vars));
      }
      case '-_': {
        const operand = this.compile(n.args as ASTNode, scope);
        return (ctx, vars) => {
          const v = operand(ctx, vars);
          return typeof v === 'number' ? -v : typeof v === 'bigint' ? -v : defer();
        };
      }
      case '?:': {
        const [cond, then, otherwise] = (n.args as ASTNode[]).map((a) => this.compile(a, scope)) as [Closure, Closure, Closure];
        return (ctx, vars) => (bool(cond(ctx, vars)) ? then(ctx, vars) : otherwise(ctx, vars));
      }
      case '==':
      case '!=': {
        const [left, right] = (n.args as ASTNode[]).map((a) => this.compile(a, scope)) as [Closure, Closure];
        return n.op === '==' ? (ctx, vars) => equals(left(ctx, vars), right(ctx, vars)) : (ctx, vars) => !equals(left(ctx, vars), right(ctx, vars));
      }
      case '<':
      case '<=':
      case '>':
      case '>=':
        return this.comparison(n.op, n.args as ASTNode[], scope);
      case '+':
      case '-':
      case '*':
      case '/': {
        const op = n.op;
        const [left, right] = (n.args as ASTNode[]).map((a) => this.compile(a, scope)) as [Closure, Closure];
        return (ctx, vars) => arithmetic(op, left(ctx, vars), right(ctx, vars));
      }
      case 'in': {
        const [left, right] = (n.args as ASTNode[]).map((a) => this.compile(a, scope)) as [Closure, Closure];
        return (ctx, vars) => {
          const needle = left(ctx, vars);
          const haystack = list(right(ctx, vars));
          if (!isPrimitive(needle)) return defer();
          for (let i = 0; i < haystack.length; i++) {
            const item = haystack[i];
            if (!isPrimitive(item)) return defer();
            if (equals(needle, item)) return true;
          }
          return false;
        };
      }
      case 'call': {
        const [name, args] = n.args as [string, ASTNode[]];
        return this.call(name, args, scope);
      }
      case 'rcall': {
        const [name, receiver, args] = n.args as [string, ASTNode & { checkedType?: { name: string; kind: string; valueType?: { name: string } } }, ASTNode[]];
        return this.method(name, receiver, args, scope);
      }
      default:
        throw new Unsupported(n.op);
    }
  }

  /** `a.b.c`: one closure for the whole chain of field selections. */
  private path(node: ASTNode, scope: Scope): Closure {
    const keys: string[] = [];
    let base = node as ASTNode & { args: unknown; meta?: { alternate?: unknown } };
    while (base.op === '.' && !base.meta?.alternate) {
      const [left, key] = base.args as [ASTNode & { args: unknown; checkedType?: { kind: string } }, string];
      const kind = left.checkedType?.kind;
      if (kind !== 'dyn' && kind !== 'map') throw new Unsupported('field of a typed value');
      keys.unshift(key);
      base = left;
    }
    const from = this.compile(base, scope);
    const [k0, k1, k2] = keys as [string, string | undefined, string | undefined];
    switch (keys.length) {
      case 1:
        return (ctx, vars) => field(from(ctx, vars), k0);
      case 2:
        return (ctx, vars) => field(field(from(ctx, vars), k0), k1!);
      case 3:
        return (ctx, vars) => field(field(field(from(ctx, vars), k0), k1!), k2!);
      default:
        return (ctx, vars) => {
          let v = from(ctx, vars);
          for (let i = 0; i < keys.length; i++) v = field(v, keys[i]!);
          return v;
        };
    }
  }

  private identifier(name: string, scope: Scope): Closure {
    for (let i = scope.locals.length - 1; i >= 0; i--) {
      const local = scope.locals[i]!;
      if (local.name === name) {
        const slot = local.slot;
        this.localReads.push(slot);
        return (_ctx, vars) => vars[slot];
      }
    }
    const guard = this.roots.get(name);
    if (!guard) throw new Unsupported(`variable ${name}`);
    return (ctx) => {
      const v = ctx[name];
      return guard(v) ? v : defer();
    };
  }

  private comparison(op: string, args: ASTNode[], scope: Scope): Closure {
    const [left, right] = args.map((a) => this.compile(a, scope)) as [Closure, Closure];
    const compare = (a: unknown, b: unknown): boolean => {
      if (!comparable(a, b)) return defer();
      const x = a as number;
      const y = b as number;
      switch (op) {
        case '<':
          return x < y;
        case '<=':
          return x <= y;
        case '>':
          return x > y;
        default:
          return x >= y;
      }
    };
    return (ctx, vars) => compare(left(ctx, vars), right(ctx, vars));
  }

  private call(name: string, args: ASTNode[], scope: Scope): Closure {
    const compiled = args.map((a) => this.compile(a, scope));
    if (compiled.length === 1) {
      const [arg] = compiled as [Closure];
      switch (name) {
        case 'size':
          return (ctx, vars) => size(arg(ctx, vars));
        case 'string':
          return (ctx, vars) => toString(arg(ctx, vars));
        case 'int':
          return (ctx, vars) => toInt(arg(ctx, vars));
        case 'double':
          return (ctx, vars) => toDouble(arg(ctx, vars));
        case 'dyn':
          return arg;
      }
    }
    const fn = this.functions.get(`${name}/${args.length}`);
    if (!fn) throw new Unsupported(`function ${name}`);
    const guards = fn.params.map((p) => {
      const g = typeGuard(p);
      if (!g) throw new Unsupported(`parameter type ${p}`);
      return g;
    });
    const impl = fn.impl as (...a: unknown[]) => unknown;
    return (ctx, vars) => {
      const values = new Array<unknown>(compiled.length);
      for (let i = 0; i < compiled.length; i++) {
        const v = compiled[i]!(ctx, vars);
        if (!guards[i]!(v)) return defer();
        values[i] = v;
      }
      const result = impl(...values);
      return isCelValue(result) ? result : defer();
    };
  }

  private method(
    name: string,
    receiverNode: ASTNode & { checkedType?: { name: string; kind: string; valueType?: { name: string } } },
    args: ASTNode[],
    scope: Scope,
  ): Closure {
    if (MACROS.has(name)) return this.macro(name, receiverNode, args, scope);
    const receiver = this.compile(receiverNode, scope);
    const compiled = args.map((a) => this.compile(a, scope));
    if (name === 'size' && compiled.length === 0) return (ctx, vars) => size(receiver(ctx, vars));
    if (name === 'lowerAscii' && compiled.length === 0) {
      return (ctx, vars) => {
        const s = receiver(ctx, vars);
        return typeof s === 'string' ? s.toLowerCase() : defer();
      };
    }
    if ((name === 'startsWith' || name === 'endsWith' || name === 'contains') && compiled.length === 1) {
      const [arg] = compiled as [Closure];
      return (ctx, vars) => {
        const s = receiver(ctx, vars);
        const t = arg(ctx, vars);
        if (typeof s !== 'string' || typeof t !== 'string') return defer();
        return name === 'startsWith' ? s.startsWith(t) : name === 'endsWith' ? s.endsWith(t) : s.includes(t);
      };
    }
    throw new Unsupported(`method ${name}`);
  }

  private macro(
    name: string,
    receiverNode: ASTNode & { checkedType?: { name: string; kind: string; valueType?: { name: string } } },
    args: ASTNode[],
    scope: Scope,
  ): Closure {
    const [variable, ...bodies] = args as [ASTNode & { args: unknown }, ...ASTNode[]];
    if (variable.op !== 'id' || typeof variable.args !== 'string') throw new Unsupported('macro variable');
    const expected = name === 'map' ? [1, 2] : [1];
    if (!expected.includes(bodies.length)) throw new Unsupported(`${name} with ${bodies.length + 1} arguments`);
    // A statically typed list (list<string>) makes the interpreter check each element.
    const type = receiverNode.checkedType;
    const elementGuard = type?.kind === 'list' && type.valueType ? typeGuard(type.valueType.name) : type?.kind === 'dyn' ? isCelValue : undefined;
    if (!elementGuard) throw new Unsupported(`range of type ${type?.name}`);
    const receiver = this.compile(receiverNode, scope);
    const slot = this.slots++;
    const inner: Scope = { locals: [...scope.locals, { name: variable.args, slot }] };
    const [first, second] = bodies.map((b) => this.compile(b, inner)) as [Closure, Closure | undefined];
    const range = (ctx: Record<string, unknown>, vars: unknown[]): unknown[] => {
      const items = list(receiver(ctx, vars));
      for (let i = 0; i < items.length; i++) if (!elementGuard(items[i])) return defer();
      return items;
    };
    switch (name) {
      case 'exists':
        return (ctx, vars) => {
          const items = range(ctx, vars);
          for (let i = 0; i < items.length; i++) {
            vars[slot] = items[i];
            if (bool(first(ctx, vars))) return true;
          }
          return false;
        };
      case 'all':
        return (ctx, vars) => {
          const items = range(ctx, vars);
          for (let i = 0; i < items.length; i++) {
            vars[slot] = items[i];
            if (!bool(first(ctx, vars))) return false;
          }
          return true;
        };
      case 'exists_one':
        return (ctx, vars) => {
          const items = range(ctx, vars);
          let count = 0;
          for (let i = 0; i < items.length; i++) {
            vars[slot] = items[i];
            if (bool(first(ctx, vars))) count++;
          }
          return count === 1;
        };
      case 'filter':
        return (ctx, vars) => {
          const items = range(ctx, vars);
          const out: unknown[] = [];
          for (let i = 0; i < items.length; i++) {
            vars[slot] = items[i];
            if (bool(first(ctx, vars))) out.push(items[i]);
          }
          return out;
        };
      default:
        if (second) {
          return (ctx, vars) => {
            const items = range(ctx, vars);
            const out: unknown[] = [];
            for (let i = 0; i < items.length; i++) {
              vars[slot] = items[i];
              if (bool(first(ctx, vars))) out.push(second(ctx, vars));
            }
            return out;
          };
        }
        return (ctx, vars) => {
          const items = range(ctx, vars);
          const out: unknown[] = new Array(items.length);
          for (let i = 0; i < items.length; i++) {
            vars[slot] = items[i];
            out[i] = first(ctx, vars);
          }
          return out;
        };
    }
  }
}

/**
 * A compiled expression: returns the value, or throws for the interpreter to take over.
 * `evaluation` (from newEvaluation) lets expressions of one rule evaluation share values.
 */
export type ClosureExpression = (context: Record<string, unknown>, evaluation?: number) => unknown;

let evaluations = 0;

/**
 * An id for one evaluation of one rule on one context: within it, the shared
 * subexpressions are computed once. The context must not change during it.
 */
export function newEvaluation(): number {
  return ++evaluations;
}

/**
 * Compiles a type-checked AST. `roots` names the context variables with their CEL types;
 * `functions` are the engine's functions. Gives the reason instead when the expression
 * uses anything outside the subset.
 */
export function compileClosure(
  ast: ASTNode,
  roots: ReadonlyMap<string, string>,
  functions: readonly ClosureFunction[],
  shared?: SharedValues,
): { closure: ClosureExpression } | { unsupported: string } {
  const rootGuards = new Map<string, (v: unknown) => boolean>();
  for (const [name, type] of roots) {
    const guard = typeGuard(type);
    if (guard) rootGuards.set(name, guard);
  }
  const byArity = new Map<string, ClosureFunction>();
  const ambiguous = new Set<string>();
  for (const fn of functions) {
    const key = `${fn.name}/${fn.params.length}`;
    if (byArity.has(key)) ambiguous.add(key);
    byArity.set(key, fn);
  }
  for (const key of ambiguous) byArity.delete(key);
  const compiler = new Compiler(rootGuards, byArity, shared);
  let root: Closure;
  try {
    root = compiler.compile(ast, { locals: [] });
  } catch (error) {
    if (error instanceof Unsupported) return { unsupported: error.message };
    throw error;
  }
  // Evaluation is synchronous and never re-enters an expression, so one array of
  // iteration variables per expression serves every evaluation.
  const vars = new Array<unknown>(compiler.slots);
  return {
    closure: (ctx, evaluation) => {
      vars[EVALUATION] = evaluation;
      return root(ctx, vars);
    },
  };
}
