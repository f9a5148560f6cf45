import { append, bail, BINARY, BUILT_INS, fin, isFn, isNumeric, isSeq, lookup, pushAll, seq, seqOf, toBoolean, type Seq } from './jsonata-semantics';

/**
 * Compiles a subset of JSONata's AST (as `jsonata(src).ast()` returns it) to plain closures that answer
 * synchronously with the same result JSONata gives. The subset: string/number/boolean/null literals,
 * paths of field names and of any supported expression as a step (`data.lines.(qty * price)`),
 * `$`, `$$`, `$env`, `$vars`, array and object constructors (literal string keys), `+ - * / %`, unary
 * minus, `&`, `= != < <= > >=`, `and`/`or`, `? :`, blocks without assignments, and `$sum`, `$count`,
 * `$exists`, `$string`, `$number`, `$uppercase`, `$lowercase`, `$join`. Anything else (filters,
 * predicates, grouping, `[]`, lambdas, regexes, assignments, other functions, ...) is not compiled.
 *
 * The returned evaluator throws whenever it cannot answer (JSONata would raise an error, an input
 * is an array, a binding shadows a function, ...); the caller then evaluates with JSONata itself.
 */
export type FastEvaluator = (input: unknown, bindings: Record<string, unknown> | undefined) => unknown;

interface Cx {
  readonly root: unknown;
  readonly bindings: Record<string, unknown> | undefined;
}

type Fn = (input: unknown, cx: Cx) => unknown;

interface Build {
  /** Function names the expression calls; a binding of the same name would shadow them. */
  readonly calls: Set<string>;
  /** Names registered on the JSONata expression (they shadow built-ins of the same name). */
  readonly registered: ReadonlySet<string>;
  maxDepth: number;
}

type Node = Record<string, any>;

const hasOwn = Object.prototype.hasOwnProperty;
const isEnumerable = Object.prototype.propertyIsEnumerable;

const KEYS: Readonly<Record<string, readonly string[]>> = {
  path: ['steps'],
  name: ['value'],
  variable: ['value'],
  string: ['value'],
  number: ['value'],
  value: ['value'],
  binary: ['value', 'lhs', 'rhs'],
  unary: ['value', 'expression', 'expressions', 'consarray', 'lhs'],
  condition: ['condition', 'then', 'else'],
  block: ['expressions'],
  function: ['value', 'arguments', 'procedure'],
};

/** Only the properties a node of that type has when none of JSONata's extras (filters, grouping, ...) apply. */
function plain(n: Node): boolean {
  const allowed = KEYS[n.type];
  if (!allowed) return false;
  for (const k of Object.keys(n)) {
    if (k !== 'type' && k !== 'position' && n[k] !== undefined && !allowed.includes(k)) return false;
  }
  return true;
}

/** A `$name` binding as JSONata's environment sees it: own enumerable keys of the bindings object. */
function binding(b: Record<string, unknown> | undefined, name: string): unknown {
  return b !== null && typeof b === 'object' && isEnumerable.call(b, name) ? b[name] : undefined;
}

/** `evaluateStep`: evaluates `f` on each item, then flattens (keeping a lone array the last step reached). */
function step(f: Fn, input: readonly unknown[], cx: Cx, last: boolean): unknown[] {
  const results: unknown[] = [];
  for (let i = 0; i < input.length; i++) {
    const r = f(input[i], cx);
    if (r !== undefined) results.push(r);
  }
  if (last && results.length === 1 && Array.isArray(results[0]) && !isSeq(results[0])) return results[0];
  const out = seq();
  for (const r of results) {
    if (!Array.isArray(r) || (r as Seq).cons) out.push(r);
    else pushAll(out, r);
  }
  return out;
}

/** `evaluatePath` followed by `evaluate`'s collapsing of the result sequence. */
function generalPath(steps: readonly Fn[], firstVariable: boolean, firstCons: boolean): Fn {
  const last = steps.length - 1;
  return (input, cx) => {
    let seqIn: readonly unknown[] = Array.isArray(input) && !firstVariable ? input : seqOf(input);
    let res: unknown[] | undefined;
    for (let i = 0; i <= last; i++) {
      res = i === 0 && firstCons ? (steps[0](seqIn, cx) as unknown[]) : step(steps[i], seqIn, cx, i === last);
      if (res === undefined || res.length === 0) break;
      seqIn = res;
    }
    return fin(res);
  };
}

/**
 * A path of field names (optionally after a variable) walked directly while it only meets plain objects,
 * which is what the general algorithm reduces to there; arrays and flagged sequences take the general route.
 */
function namePath(start: Fn | undefined, keys: readonly string[], general: Fn): Fn {
  return (input, cx) => {
    let cur: unknown;
    if (start) {
      cur = start(input, cx);
      if (Array.isArray(cur)) return general(input, cx);
    } else {
      if (Array.isArray(input)) return general(input, cx);
      cur = input;
    }
    for (let i = 0; i < keys.length; i++) {
      if (cur === null || typeof cur !== 'object') return undefined;
      if (Array.isArray(cur)) return general(input, cx);
      if (!hasOwn.call(cur, keys[i]) || isFn(cur)) return undefined;
      cur = (cur as any)[keys[i]];
    }
    if (Array.isArray(cur) && (cur as Seq).sequence === true) return general(input, cx);
    return cur;
  };
}

function path(n: Node, b: Build, d: number): Fn | undefined {
  const steps = n.steps as Node[];
  if (!Array.isArray(steps) || steps.length === 0) return undefined;
  const fns: Fn[] = [];
  for (const s of steps) {
    const f = compile(s, b, d + 1);
    if (!f) return undefined;
    fns.push(f);
  }
  const firstVariable = steps[0].type === 'variable';
  const general = generalPath(fns, firstVariable, steps[0].consarray === true);
  const rest = firstVariable ? steps.slice(1) : steps;
  if (rest.length > 0 && rest.every((s) => s.type === 'name')) {
    return namePath(firstVariable ? fns[0] : undefined, rest.map((s) => s.value as string), general);
  }
  return general;
}

function variable(name: unknown): Fn | undefined {
  if (name === '') return (input) => fin(input && (input as Seq).outerWrapper ? (input as unknown[])[0] : input);
  if (name === '$') return (_input, cx) => fin(cx.root);
  if (name === 'env' || name === 'vars') return (_input, cx) => fin(binding(cx.bindings, name));
  return undefined;
}

function binary(n: Node, b: Build, d: number): Fn | undefined {
  const l = compile(n.lhs, b, d + 1);
  const r = compile(n.rhs, b, d + 1);
  if (!l || !r) return undefined;
  const bool = (v: unknown) => toBoolean(v) ?? false;
  if (n.value === 'and') return (input, cx) => bool(l(input, cx)) && bool(r(input, cx));
  if (n.value === 'or') return (input, cx) => bool(l(input, cx)) || bool(r(input, cx));
  const op = hasOwn.call(BINARY, n.value) ? BINARY[n.value] : undefined;
  if (!op) return undefined;
  return (input, cx) => op(l(input, cx), r(input, cx));
}

function array(n: Node, b: Build, d: number): Fn | undefined {
  const items: { f: Fn; nested: boolean }[] = [];
  for (const e of n.expressions as Node[]) {
    const f = compile(e, b, d + 1);
    if (!f) return undefined;
    items.push({ f, nested: e.value === '[' });
  }
  const cons = n.consarray === true;
  return (input, cx) => {
    let result: unknown[] = [];
    for (const it of items) {
      const v = it.f(input, cx);
      if (v === undefined) continue;
      if (it.nested || !Array.isArray(v)) result.push(v);
      else result = append(result, v) as unknown[];
    }
    if (cons) Object.defineProperty(result, 'cons', { enumerable: false, configurable: false, value: true });
    return result;
  };
}

function object(n: Node, b: Build, d: number): Fn | undefined {
  const pairs: [string, Fn][] = [];
  const seen = new Set<string>();
  for (const pair of n.lhs as Node[][]) {
    const [k, v] = pair;
    // Computed keys group their input, and a repeated key is an error (D1009): both are left to JSONata.
    if (k.type !== 'string' || !plain(k) || typeof k.value !== 'string' || seen.has(k.value)) return undefined;
    if (k.value === '_jsonata_lambda' || k.value === '_jsonata_function') return undefined;
    seen.add(k.value);
    const f = compile(v, b, d + 1);
    if (!f) return undefined;
    pairs.push([k.value, f]);
  }
  return (input, cx) => {
    let context: unknown = input;
    if (Array.isArray(input)) {
      // An empty input gets `undefined` pushed into it by JSONata; tuple streams never reach here.
      if (input.length === 0 || (input as Seq).tupleStream) bail();
      context = input[0];
      for (let i = 1; i < input.length; i++) context = append(context, input[i]);
    }
    const result: Record<string, unknown> = Object.create(null);
    for (const [key, f] of pairs) {
      const v = f(context, cx);
      if (v !== undefined) result[key] = v;
    }
    return result;
  };
}

function unary(n: Node, b: Build, d: number): Fn | undefined {
  if (n.value === '[' && Array.isArray(n.expressions)) return array(n, b, d);
  if (n.value === '{' && Array.isArray(n.lhs)) return object(n, b, d);
  if (n.value === '-' && n.expression) {
    const e = compile(n.expression, b, d + 1);
    if (!e) return undefined;
    return (input, cx) => {
      const v = e(input, cx);
      if (v === undefined) return undefined;
      return isNumeric(v) ? -v : bail(); // D1002
    };
  }
  return undefined;
}

function call(n: Node, b: Build, d: number): Fn | undefined {
  const p = n.procedure as Node;
  if (!p || p.type !== 'variable' || !plain(p) || typeof p.value !== 'string') return undefined;
  const name = p.value;
  if (!hasOwn.call(BUILT_INS, name) || b.registered.has(name)) return undefined;
  const fn = BUILT_INS[name];
  const argNodes = n.arguments as Node[];
  if (!Array.isArray(argNodes) || !fn.arity.includes(argNodes.length)) return undefined;
  const args: Fn[] = [];
  for (const a of argNodes) {
    const f = compile(a, b, d + 1);
    if (!f) return undefined;
    args.push(f);
  }
  b.calls.add(name);
  return (input, cx) => {
    const values: unknown[] = [];
    for (const f of args) {
      const v = f(input, cx);
      if (isFn(v)) bail(); // JSONata would wrap it as a function argument
      values.push(v);
    }
    return fin(fn.call(values, input));
  };
}

function compile(n: Node, b: Build, d: number): Fn | undefined {
  if (!n || typeof n !== 'object' || !plain(n)) return undefined;
  if (d > b.maxDepth) b.maxDepth = d;
  switch (n.type) {
    case 'string':
    case 'number':
    case 'value': {
      const v = n.value;
      if (v !== null && typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') return undefined;
      return () => v;
    }
    case 'name': {
      const key = n.value;
      if (typeof key !== 'string') return undefined;
      return (input) => fin(lookup(input, key));
    }
    case 'path':
      return path(n, b, d);
    case 'variable':
      return variable(n.value);
    case 'binary':
      return binary(n, b, d);
    case 'unary':
      return unary(n, b, d);
    case 'condition': {
      const c = compile(n.condition, b, d + 1);
      const t = compile(n.then, b, d + 1);
      const e = n.else === undefined ? undefined : compile(n.else, b, d + 1);
      if (!c || !t || (n.else !== undefined && !e)) return undefined;
      // `evaluate` collapses a result sequence again at each level, so a branch's value (already
      // collapsed once) is collapsed again here: a kept singleton holding an empty sequence becomes nothing.
      return (input, cx) => fin(toBoolean(c(input, cx)) ? t(input, cx) : e ? e(input, cx) : undefined);
    }
    case 'block': {
      const fns: Fn[] = [];
      for (const x of n.expressions as Node[]) {
        const f = compile(x, b, d + 1);
        if (!f) return undefined;
        fns.push(f);
      }
      return (input, cx) => {
        let r: unknown;
        for (const f of fns) r = f(input, cx);
        return fin(r);
      };
    }
    case 'function':
      return call(n, b, d);
    default:
      return undefined;
  }
}

export interface CompileOptions {
  /** JSONata's `stack` limit: an expression nested deeper than this is left to JSONata (which reports D1011). */
  maxDepth: number;
  /** Functions registered on the JSONata expression; they replace built-ins of the same name. */
  registered: Iterable<string>;
}

/**
 * @example
 * const ev = compileAst(jsonata('{"total": $sum(lines.(qty * price))}').ast(), { maxDepth: 500, registered: [] });
 * ev?.({ lines: [{ qty: 2, price: 3 }] }, undefined); // { total: 6 }
 */
export function compileAst(ast: unknown, options: CompileOptions): FastEvaluator | undefined {
  const b: Build = { calls: new Set(), registered: new Set(options.registered), maxDepth: 0 };
  const root = compile(ast as Node, b, 1);
  // JSONata counts one level per nested evaluation; keep well inside its limit so it could never fire.
  if (!root || b.maxDepth + 2 > options.maxDepth) return undefined;
  const calls = [...b.calls];
  return (input, bindings) => {
    // A JSON array as input is wrapped specially by JSONata; bindings named like a function shadow it.
    if (Array.isArray(input)) bail();
    if (bindings) for (const name of calls) if (hasOwn.call(bindings, name)) bail();
    return root(input, { root: input, bindings });
  };
}
