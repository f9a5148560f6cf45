/**
 * JSONata 2.x evaluation rules for the compiled subset (see `./compiled`), transcribed from the engine
 * (`jsonata.js`: evaluate, evaluatePath/Step, fn.lookup, fn.append, fn.string, fn.boolean, isDeepEqual,
 * the signature validator). Wherever JSONata would throw, these throw `BAIL` instead and the caller
 * re-runs the expression in real JSONata, so errors (codes, messages, positions) are always JSONata's own
 * and only successful results need to match here. Result sequences carry JSONata's `sequence: true` flag.
 */

/** Thrown when the compiled code cannot answer; the expression is then evaluated by JSONata. */
export const BAIL: unique symbol = Symbol('jsonata-bail');

export type Seq = unknown[] & { sequence?: boolean; keepSingleton?: boolean; tupleStream?: boolean; cons?: boolean; outerWrapper?: boolean };

const hasOwn = Object.prototype.hasOwnProperty;

export function bail(): never {
  throw BAIL;
}

/** `environment.base.createSequence()`: an array flagged (enumerably, as JSONata does) as a result sequence. */
export function seq(): Seq {
  const s: Seq = [];
  s.sequence = true;
  return s;
}

export function seqOf(v: unknown): Seq {
  const s: Seq = [v];
  s.sequence = true;
  return s;
}

export function isSeq(v: unknown): v is Seq {
  return (v as Seq).sequence === true && Array.isArray(v);
}

/** JSONata's `isFunction`; data objects carrying its internal flags are treated as functions by the engine. */
export function isFn(v: unknown): boolean {
  return (!!v && ((v as any)._jsonata_function === true || (v as any)._jsonata_lambda === true)) || typeof v === 'function';
}

/** What `evaluate` does to every node's result: an empty sequence is nothing, a singleton is its item. */
export function fin(v: unknown): unknown {
  if (v && isSeq(v) && !v.tupleStream) {
    if (v.length === 0) return undefined;
    if (v.length === 1) return v.keepSingleton ? v : v[0];
  }
  return v;
}

/** `isNumeric`: NaN is not a number; an infinite one is an error (D1001). */
export function isNumeric(n: unknown): n is number {
  if (typeof n !== 'number') return false;
  if (Number.isNaN(n)) return false;
  if (!Number.isFinite(n)) bail();
  return true;
}

/** Pushes the items of `from` onto `to`, skipping holes as JSONata's `forEach` does. */
export function pushAll(to: unknown[], from: readonly unknown[]): void {
  for (let i = 0; i < from.length; i++) if (i in from) to.push(from[i]);
}

/** `fn.lookup`: own properties only; over an array, maps and flattens one level into a sequence. */
export function lookup(input: unknown, key: string): unknown {
  if (Array.isArray(input)) {
    const result = seq();
    for (let i = 0; i < input.length; i++) {
      const res = lookup(input[i], key);
      if (res !== undefined) {
        if (Array.isArray(res)) pushAll(result, res);
        else result.push(res);
      }
    }
    return result;
  }
  if (input !== null && typeof input === 'object' && hasOwn.call(input, key) && !isFn(input)) return (input as any)[key];
  return undefined;
}

/** `fn.append` (without a sequence size limit, which this project never sets). */
export function append(a: unknown, b: unknown): unknown {
  if (a === undefined) return b;
  if (b === undefined) return a;
  const x = Array.isArray(a) ? a : seqOf(a);
  const y = Array.isArray(b) ? b : [b];
  return x.concat(y);
}

/** `fn.boolean`, with JSONata's `boolize` (undefined is false) applied by the caller where needed. */
export function toBoolean(arg: unknown): boolean | undefined {
  if (arg === undefined) return undefined;
  if (Array.isArray(arg)) {
    if (arg.length === 1) return toBoolean(arg[0]);
    if (arg.length > 1) return arg.filter((v) => toBoolean(v)).length > 0;
    return false;
  }
  if (typeof arg === 'string') return arg.length > 0;
  if (isNumeric(arg)) return arg !== 0;
  if (arg !== null && typeof arg === 'object' && !isFn(arg)) return Object.keys(arg).length > 0;
  return arg === true;
}

function replacer(_key: string, val: unknown): unknown {
  if (val !== undefined && val !== null && isNumeric(val)) {
    return !Number.isInteger(val) ? Number(val.toPrecision(15)) : val;
  }
  return val && isFn(val) ? '' : val;
}

/** `fn.string` (not prettified): JSON text with numbers to 15 significant digits. */
export function toStr(arg: unknown): string | undefined {
  if (arg === undefined) return undefined;
  if (typeof arg === 'string') return arg;
  if (isFn(arg)) return '';
  if (typeof arg === 'number' && !Number.isFinite(arg)) bail(); // D3001
  const v = Array.isArray(arg) && (arg as Seq).outerWrapper ? arg[0] : arg;
  return JSON.stringify(v, replacer);
}

/** `utils.isDeepEqual`. */
export function deepEqual(lhs: unknown, rhs: unknown): boolean {
  if (lhs === rhs) return true;
  if (typeof lhs === 'object' && typeof rhs === 'object' && lhs !== null && rhs !== null) {
    if (Array.isArray(lhs) && Array.isArray(rhs)) {
      if (lhs.length !== rhs.length) return false;
      for (let i = 0; i < lhs.length; i++) if (!deepEqual(lhs[i], rhs[i])) return false;
      return true;
    }
    const lk = Object.getOwnPropertyNames(lhs).sort();
    const rk = Object.getOwnPropertyNames(rhs).sort();
    if (lk.length !== rk.length) return false;
    for (let i = 0; i < lk.length; i++) if (lk[i] !== rk[i]) return false;
    for (const k of lk) if (!deepEqual((lhs as any)[k], (rhs as any)[k])) return false;
    return true;
  }
  return false;
}

export type BinaryOp = (l: unknown, r: unknown) => unknown;

function numeric(op: (a: number, b: number) => number): BinaryOp {
  return (l, r) => {
    if (l !== undefined && !isNumeric(l)) bail(); // T2001
    if (r !== undefined && !isNumeric(r)) bail(); // T2002
    if (l === undefined || r === undefined) return undefined;
    return op(l as number, r as number);
  };
}

function comparison(op: (a: any, b: any) => boolean): BinaryOp {
  return (l, r) => {
    const lt = typeof l;
    const rt = typeof r;
    if (!(lt === 'undefined' || lt === 'string' || lt === 'number') || !(rt === 'undefined' || rt === 'string' || rt === 'number')) bail(); // T2010
    if (lt === 'undefined' || rt === 'undefined') return undefined;
    if (lt !== rt) bail(); // T2009
    return op(l, r);
  };
}

/** Binary operators other than `and`/`or` (which short-circuit), evaluated on already evaluated operands. */
export const BINARY: Readonly<Record<string, BinaryOp>> = {
  '+': numeric((a, b) => a + b),
  '-': numeric((a, b) => a - b),
  '*': numeric((a, b) => a * b),
  '/': numeric((a, b) => a / b),
  '%': numeric((a, b) => a % b),
  '=': (l, r) => (l === undefined || r === undefined ? false : deepEqual(l, r)),
  '!=': (l, r) => (l === undefined || r === undefined ? false : !deepEqual(l, r)),
  '<': comparison((a, b) => a < b),
  '<=': comparison((a, b) => a <= b),
  '>': comparison((a, b) => a > b),
  '>=': comparison((a, b) => a >= b),
  '&': (l, r) => (l === undefined ? '' : toStr(l)!).concat(r === undefined ? '' : toStr(r)!),
};

/** The signature validator's type letter for a value (`m` for missing). */
function symbol(v: unknown): string {
  if (isFn(v)) return 'f';
  switch (typeof v) {
    case 'string':
      return 's';
    case 'number':
      return 'n';
    case 'boolean':
      return 'b';
    case 'object':
      return v === null ? 'l' : Array.isArray(v) ? 'a' : 'o';
    default:
      return 'm';
  }
}

/** An `a<t>` parameter: an array whose items are all of type `t`, or a single `t` (wrapped), or missing. */
function typedArray(arg: unknown, t: string): unknown[] | undefined {
  const s = symbol(arg);
  if (s === 'm') return undefined;
  if (s !== 'a') return s === t ? [arg] : bail(); // T0412
  const a = arg as unknown[];
  for (let i = 0; i < a.length; i++) if (symbol(a[i]) !== t) bail(); // T0412
  return a;
}

/** A `t-` parameter: the argument, or the context when it is left out (which must then have type `t`). */
function orContext(args: unknown[], context: unknown, types: string): unknown {
  if (args.length === 0) {
    const s = symbol(context);
    return s === 'm' || types.includes(s) ? context : bail(); // T0411
  }
  const s = symbol(args[0]);
  return s === 'm' || types.includes(s) ? args[0] : bail(); // T0410
}

const NUMBER_TEXT = /^-?[0-9]+(\.[0-9]+)?([Ee][-+]?[0-9]+)?$/;
const RADIX_TEXT = /^(0[xX][0-9A-Fa-f]+)|(0[oO][0-7]+)|(0[bB][0-1]+)$/;

export interface BuiltIn {
  /** Argument counts JSONata accepts for this function; others are left to JSONata. */
  arity: readonly number[];
  /** Receives the evaluated arguments and the call's context (used when an argument is left out). */
  call(args: unknown[], context: unknown): unknown;
}

/** Built-in functions whose whole behaviour (signature checks included) is simple enough to transcribe. */
export const BUILT_INS: Readonly<Record<string, BuiltIn>> = {
  sum: {
    arity: [1],
    call(args) {
      const a = typedArray(args[0], 'n');
      if (a === undefined) return undefined;
      let total = 0;
      for (const n of a) total += n as number;
      return total;
    },
  },
  count: {
    arity: [1],
    call(args) {
      const v = args[0];
      if (symbol(v) === 'f') bail();
      return v === undefined ? 0 : Array.isArray(v) ? v.length : 1;
    },
  },
  exists: {
    arity: [1],
    call(args) {
      if (symbol(args[0]) === 'f') bail();
      return args[0] !== undefined;
    },
  },
  string: {
    arity: [0, 1],
    call(args, context) {
      const v = orContext(args, context, 'asnblo');
      return toStr(v);
    },
  },
  number: {
    arity: [0, 1],
    call(args, context) {
      const v = orContext(args, context, 'nsb');
      if (v === undefined) return undefined;
      if (typeof v === 'number') return v;
      if (typeof v === 'string' && NUMBER_TEXT.test(v) && !Number.isNaN(parseFloat(v)) && Number.isFinite(Number(v))) return parseFloat(v);
      if (typeof v === 'string' && RADIX_TEXT.test(v)) return Number(v);
      if (v === true) return 1;
      if (v === false) return 0;
      return bail(); // D3030
    },
  },
  uppercase: {
    arity: [0, 1],
    call(args, context) {
      const v = orContext(args, context, 's');
      return v === undefined ? undefined : (v as string).toUpperCase();
    },
  },
  lowercase: {
    arity: [0, 1],
    call(args, context) {
      const v = orContext(args, context, 's');
      return v === undefined ? undefined : (v as string).toLowerCase();
    },
  },
  join: {
    arity: [1, 2],
    call(args) {
      const a = typedArray(args[0], 's');
      const sep = args[1];
      const ss = symbol(sep);
      if (ss !== 'm' && ss !== 's') bail(); // T0410
      if (a === undefined) return undefined;
      return a.join(sep === undefined ? '' : (sep as string));
    },
  },
};
