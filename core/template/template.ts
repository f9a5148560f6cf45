import type { TemplateKind, TokenPosition } from './context-lexer';
import {
  escapeJsonString, escapeXmlAttr, escapeXmlCdata, escapeXmlComment, escapeXmlText, jsonValue, textOf,
} from './escape';
import { compileExpression, ExpressionSyntaxError, lineColumn, type CompiledExpression } from './expression';
import { parseTemplate, syntaxError, type Tag, type TemplateNode } from './parse';
import { repairJsonCommas } from './json-commas';
import { truthy } from './truthy';

export type MissingPolicy = 'empty' | 'null' | 'fail';

export interface TemplateOptions {
  kind: TemplateKind;
  /** What a token whose expression yields no value inserts (default `empty`). */
  missing?: MissingPolicy;
}

/** What expressions see: `data`, `trigger`, `vars` as paths, and `$env` / `$vars` as variables. */
export interface TemplateContext {
  data?: unknown;
  trigger?: unknown;
  vars?: Record<string, unknown>;
  env?: Record<string, string | undefined>;
}

export interface CompiledTemplate {
  readonly kind: TemplateKind;
  /** True when every token is a simple path: `render` then always returns a string, never a Promise. */
  readonly sync: boolean;
  render(ctx: TemplateContext): string | Promise<string>;
}

/** A failure while rendering (missing value under `missing: 'fail'`, an expression error), naming the token. */
export class TemplateRenderError extends Error {
  constructor(
    message: string,
    public readonly token: string,
    public readonly line: number,
    public readonly column: number,
    public override readonly cause?: unknown,
  ) {
    super(message);
    this.name = 'TemplateRenderError';
  }
}

type Scope = Record<string, unknown>;
interface Bindings { env: unknown; vars: unknown }
type Evaluate = (scope: Scope, b: Bindings) => unknown;

interface TokenInfo { text: string; line: number; column: number }

type RNode =
  | { k: 0; s: string }
  | { k: 1; e: Evaluate; pos: TokenPosition; tok: TokenInfo }
  | { k: 2; e: Evaluate; name: string; index?: string; sep: boolean; body: RNode[]; tok: TokenInfo }
  | { k: 3; branches: Array<{ e?: Evaluate; tok: TokenInfo; body: RNode[] }> };

interface State {
  out: string;
  b: Bindings;
  missing: MissingPolicy;
}

const isThenable = (v: unknown): v is Promise<unknown> => typeof (v as any)?.then === 'function';

function evaluator(c: CompiledExpression): Evaluate {
  return (s, b) => c.evaluate(s, b as unknown as Record<string, unknown>);
}

function fail(tok: TokenInfo, what: string, cause?: unknown): TemplateRenderError {
  return new TemplateRenderError(`${tok.text} at line ${tok.line}, column ${tok.column}: ${what}`, tok.text, tok.line, tok.column, cause);
}

function evaluate(e: Evaluate, scope: Scope, st: State, tok: TokenInfo): unknown {
  try {
    const v = e(scope, st.b);
    return isThenable(v) ? v.then(undefined, (err) => { throw fail(tok, (err as any)?.message ?? String(err), err); }) : v;
  } catch (err: any) {
    throw fail(tok, err?.message ?? String(err), err);
  }
}

function emit(n: Extract<RNode, { k: 1 }>, v: unknown, st: State): void {
  if (v === undefined || typeof v === 'function') {
    if (st.missing === 'fail') throw fail(n.tok, 'has no value');
    if (n.pos === 'json-value') st.out += st.missing === 'null' ? 'null' : '""';
    else if (n.pos === 'json-key') st.out += '""';
    return;
  }
  switch (n.pos) {
    case 'json-value': st.out += jsonValue(v) ?? 'null'; break;
    case 'json-key': st.out += '"' + escapeJsonString(textOf(v)) + '"'; break;
    case 'json-string': st.out += escapeJsonString(textOf(v)); break;
    case 'xml-text': st.out += escapeXmlText(textOf(v)); break;
    case 'xml-attr': st.out += escapeXmlAttr(textOf(v)); break;
    case 'xml-cdata': st.out += escapeXmlCdata(textOf(v)); break;
    case 'xml-comment': st.out += escapeXmlComment(textOf(v)); break;
    default: st.out += textOf(v);
  }
}

/**
 * Renders nodes from index `i`. Returns undefined when everything was synchronous, or a Promise as soon
 * as one expression answers asynchronously (the rest continues after it): one code path serves both.
 */
function run(nodes: RNode[], i: number, scope: Scope, st: State): void | Promise<void> {
  for (; i < nodes.length; i++) {
    const n = nodes[i];
    if (n.k === 0) {
      st.out += n.s;
      continue;
    }
    const next = i + 1;
    let r: void | Promise<void>;
    if (n.k === 1) {
      const v = evaluate(n.e, scope, st, n.tok);
      if (isThenable(v)) return v.then((val) => { emit(n, val, st); return run(nodes, next, scope, st); });
      emit(n, v, st);
      continue;
    } else if (n.k === 2) {
      const v = evaluate(n.e, scope, st, n.tok);
      r = isThenable(v) ? v.then((items) => each(n, items, 0, scope, st)) : each(n, v, 0, scope, st);
    } else r = branch(n, 0, scope, st);
    if (r) return r.then(() => run(nodes, next, scope, st));
  }
}

function each(n: Extract<RNode, { k: 2 }>, value: unknown, j: number, scope: Scope, st: State): void | Promise<void> {
  if (value === undefined || value === null) return; // a missing list repeats nothing
  const items = Array.isArray(value) ? value : [value];
  for (; j < items.length; j++) {
    if (n.sep && j > 0) st.out += ',';
    const inner: Scope = { ...scope, [n.name]: items[j] };
    if (n.index) inner[n.index] = j;
    const r = run(n.body, 0, inner, st);
    if (r) {
      const k = j + 1;
      return r.then(() => each(n, items, k, scope, st));
    }
  }
}

function branch(n: Extract<RNode, { k: 3 }>, j: number, scope: Scope, st: State): void | Promise<void> {
  for (; j < n.branches.length; j++) {
    const b = n.branches[j];
    if (!b.e) return run(b.body, 0, scope, st);
    const v = evaluate(b.e, scope, st, b.tok);
    if (isThenable(v)) {
      const k = j;
      return v.then((c) => (truthy(c) ? run(b.body, 0, scope, st) : branch(n, k + 1, scope, st)));
    }
    if (truthy(v)) return run(b.body, 0, scope, st);
  }
}

/** Turns the parse tree into render nodes: expressions compiled, adjacent text merged. */
function build(text: string, nodes: TemplateNode[], acc: { sync: boolean }): RNode[] {
  const out: RNode[] = [];
  const info = (tag: Tag): TokenInfo => ({ text: text.slice(tag.start, tag.end), ...lineColumn(text, tag.start) });
  const compile = (tag: Tag): Evaluate => {
    let c: CompiledExpression;
    try {
      c = compileExpression(tag.expression!);
    } catch (e) {
      if (!(e instanceof ExpressionSyntaxError)) throw e;
      const at = tag.exprStart! + e.position;
      throw syntaxError(text, `${e.message.replace(/ \(line \d+, column \d+\)$/, '')} in ${text.slice(tag.start, tag.end)}`, at, at + 1);
    }
    if (!c.simplePath) acc.sync = false;
    return evaluator(c);
  };
  for (const n of nodes) {
    if (n.type === 'text') {
      const last = out[out.length - 1];
      if (last && last.k === 0) last.s += n.text;
      else out.push({ k: 0, s: n.text });
    } else if (n.type === 'value') out.push({ k: 1, e: compile(n.tag), pos: n.position, tok: info(n.tag) });
    else if (n.type === 'each') {
      out.push({
        k: 2, e: compile(n.tag), name: n.tag.name!, index: n.tag.index, tok: info(n.tag),
        sep: n.position === 'json-value' || n.position === 'json-key', body: build(text, n.body, acc),
      });
    } else {
      out.push({ k: 3, branches: n.branches.map((b) => ({ e: b.tag.expression ? compile(b.tag) : undefined, tok: info(b.tag), body: build(text, b.body, acc) })) });
    }
  }
  return out;
}

/**
 * Compiles a template once; render it many times.
 * @example
 * const t = compileTemplate('{"id": {{ data.id }}, "note": "{{ data.note }}"}', { kind: 'json' });
 * t.render({ data: { id: 7, note: 'say "hi"' } }); // '{"id": 7, "note": "say \"hi\""}'
 * @throws TemplateSyntaxError with line and column for template or expression syntax errors.
 */
export function compileTemplate(text: string, options: TemplateOptions): CompiledTemplate {
  const { kind } = options;
  const missing = options.missing ?? 'empty';
  const { nodes, hasStructuralBlocks } = parseTemplate(text, kind);
  const acc = { sync: true };
  const root = build(text, nodes, acc);
  // Blocks in JSON structure may leave doubled, leading or trailing commas; repair only then.
  const finish = kind === 'json' && hasStructuralBlocks ? repairJsonCommas : (s: string) => s;
  // Fully literal templates (no tokens) render to a constant.
  if (root.length === 0 || (root.length === 1 && root[0].k === 0)) {
    const constant = finish(root.length ? (root[0] as { s: string }).s : '');
    return { kind, sync: true, render: () => constant };
  }
  return {
    kind,
    sync: acc.sync,
    render(ctx: TemplateContext) {
      const scope: Scope = { data: ctx.data, trigger: ctx.trigger, vars: ctx.vars };
      const st: State = { out: '', b: { env: ctx.env ?? {}, vars: ctx.vars ?? {} }, missing };
      const r = run(root, 0, scope, st);
      return r ? r.then(() => finish(st.out)) : finish(st.out);
    },
  };
}
