import jsonata from 'jsonata';
import { compileAst } from './compiled';
import { HELPERS } from './helpers';
import { evaluatePath } from './path-eval';

/**
 * JSONata expressions, compiled once (at deploy) and evaluated many times, in three tiers:
 * - Plain dotted paths (`body.orderId`, `$env.API_URL`) skip JSONata entirely and answer synchronously:
 *   they are the common case on the hot path, and follow JSONata's rules for arrays (see `./path-eval`).
 * - Otherwise JSONata parses the text (so syntax and syntax errors are JSONata's), and when every node of
 *   its AST is in the subset `./compiled` knows (field paths, `data.lines.(qty * price)` steps, object and
 *   array constructors, literals, arithmetic, `&`, comparisons, `and`/`or`, `? :`, `$sum`, `$count`,
 *   `$string`, ... over `$env`/`$vars`), the AST becomes plain closures that answer synchronously, about an
 *   order of magnitude faster. They transcribe JSONata's own rules (sequences, singleton collapsing,
 *   flattening, undefined propagation, number formatting) and are property-tested against the engine.
 *   Whenever they cannot answer (anything JSONata would raise an error for, an array as input, a binding
 *   that shadows a function) that call is evaluated by JSONata, so errors and their codes are always
 *   JSONata's. The subset cannot loop, so of the limits only the depth limit applies to it.
 * - Everything else is evaluated by JSONata (asynchronously).
 */
export interface CompiledExpression {
  readonly source: string;
  readonly simplePath: boolean;
  /** True when evaluation runs as compiled closures (falling back to JSONata only for errors and odd inputs). */
  readonly compiled?: boolean;
  /** The steps of a simple path (`['data', 'orderId']`, `['$env', 'API_URL']`); absent for full JSONata. */
  readonly path?: readonly string[];
  /**
   * Evaluates against `input`; `bindings` become `$name` variables (`{ env }` is `$env`). A simple path
   * or a compiled expression usually returns its value synchronously; full JSONata returns a Promise.
   */
  evaluate(input: unknown, bindings?: Record<string, unknown>): unknown | Promise<unknown>;
}

export class ExpressionSyntaxError extends Error {
  constructor(
    message: string,
    /** 0-based character offset into the expression. */
    public readonly position: number,
    public readonly line: number,
    public readonly column: number,
  ) {
    super(message);
    this.name = 'ExpressionSyntaxError';
  }
}

/** A failure while evaluating (JSONata throws plain objects; this makes them real Errors with the code kept). */
export class ExpressionRuntimeError extends Error {
  constructor(
    message: string,
    /** JSONata error code, e.g. `T2001`, or `D1012` when the time limit was hit. */
    public readonly code?: string,
    /** Where in the expression text (as given) it failed: the operator or function JSONata names, 1-based. */
    public readonly line?: number,
    public readonly column?: number,
  ) {
    super(message);
    this.name = 'ExpressionRuntimeError';
  }
}

export interface ExpressionLimits {
  /** Milliseconds one evaluation may run (default 1000). Stops `function($x){$f($x)}` style endless loops. */
  timeoutMs?: number;
  /** Maximum evaluation depth (default 500). */
  maxDepth?: number;
}

/** Identifiers JSONata reads as literals or lambdas, so a "path" made of them is not a property lookup. */
const RESERVED = new Set(['true', 'false', 'null', 'function']);
const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** Variables a simple path may start with; both are passed as bindings by the template engine and nodes. */
const PATH_VARIABLES = new Set(['$env', '$vars']);

/**
 * 1-based line and column of a 0-based offset.
 * @example
 * lineColumn('ab\ncd', 4); // { line: 2, column: 2 }
 */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let col = 1;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text[i] === '\n') {
      line++;
      col = 1;
    } else col++;
  }
  return { line, column: col };
}

/**
 * Splits `a.b.c` / `$env.X` into steps, or returns undefined when the source needs real JSONata.
 * @example
 * simplePathSteps('data.orderId'); // ['data', 'orderId']
 * simplePathSteps('data.n + 1'); // undefined
 */
export function simplePathSteps(src: string): string[] | undefined {
  if (src.length === 0 || src.length > 500) return undefined;
  const parts = src.split('.');
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i];
    if (i === 0 && PATH_VARIABLES.has(p)) continue;
    if (!IDENT.test(p) || RESERVED.has(p)) return undefined;
  }
  return parts;
}

/**
 * @example
 * const e = compileExpression('body.orderId');
 * await e.evaluate({ body: { orderId: 'A1' } }); // 'A1'
 * await compileExpression("$hash(body.id, 'sha256', 'hex')").evaluate({ body: { id: 'x' } });
 */
export function compileExpression(source: string, limits: ExpressionLimits = {}): CompiledExpression {
  const src = source.trim();
  const steps = simplePathSteps(src);
  if (steps) {
    const first = steps[0];
    const variable = first[0] === '$' ? first.slice(1) : undefined;
    return {
      source: src,
      simplePath: true,
      path: steps,
      evaluate(input, bindings) {
        return evaluatePath(input, steps, variable === undefined ? undefined : { value: bindings?.[variable] });
      },
    };
  }
  return jsonataExpression(src, limits, source.length - source.trimStart().length, source);
}

/**
 * The place of a JSONata evaluation error: its `position` is the offset just past the `token` it names (`+`), or
 * past the `(` of a function call (`substring`); the place reported is the token's start (a function's `$`).
 */
function failedAt(e: any, src: string, lead: number, original: string): { line: number; column: number } | undefined {
  if (typeof e?.position !== 'number' || e.position <= 0) return undefined;
  let end = Math.min(src.length, e.position);
  if (src[end - 1] === '(' && e.token !== '(') end--; // a function call's position is past its parenthesis
  let pos = Math.max(0, end - (typeof e.token === 'string' ? e.token.length : 1));
  if (pos > 0 && src[pos - 1] === '$') pos--;
  return lineColumn(original, lead + pos);
}

function jsonataExpression(src: string, limits: ExpressionLimits, lead: number, original: string): CompiledExpression {
  let expr: ReturnType<typeof jsonata>;
  const options = { timeout: limits.timeoutMs ?? 1000, stack: limits.maxDepth ?? 500 };
  try {
    expr = jsonata(src, options as any);
  } catch (e: any) {
    // Positions are reported against the text as given (leading whitespace included), for editors.
    const pos = lead + (typeof e?.position === 'number' ? Math.min(src.length, Math.max(0, e.position - 1)) : 0);
    const { line, column } = lineColumn(original, pos);
    throw new ExpressionSyntaxError(`${e?.message ?? String(e)} (line ${line}, column ${column})`, pos, line, column);
  }
  // Registered per expression (not as evaluate bindings) so no per-call cost; `$eval` is replaced so data
  // handed to an expression can never be run as one.
  for (const [name, fn] of Object.entries(HELPERS)) expr.registerFunction(name, fn as any);
  const viaJsonata = (input: unknown, bindings?: Record<string, unknown>): Promise<unknown> =>
    expr.evaluate(input, bindings as any).then(undefined, (e: any) => {
      if (e instanceof Error && !('code' in e)) throw e;
      const msg = e?.code === 'D1012' ? `expression ran longer than ${options.timeout} ms` : (e?.message ?? String(e));
      const at = failedAt(e, src, lead, original);
      throw new ExpressionRuntimeError(msg, e?.code, at?.line, at?.column);
    });
  const fast = compileAst(expr.ast(), { maxDepth: options.stack > 0 ? options.stack : Infinity, registered: Object.keys(HELPERS) });
  if (!fast) return { source: src, simplePath: false, compiled: false, evaluate: viaJsonata };
  return {
    source: src,
    simplePath: false,
    compiled: true,
    evaluate(input, bindings) {
      try {
        return fast(input, bindings);
      } catch {
        // The compiled code throws wherever JSONata might fail (or the input is unusual); JSONata then
        // answers, with its own error and code when there is one.
        return viaJsonata(input, bindings);
      }
    },
  };
}
