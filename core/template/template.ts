import type { TemplateKind, TokenPosition } from './context-lexer';
import {
  escapeJsonString, escapeXmlAttr, escapeXmlCdata, escapeXmlComment, escapeXmlText, jsonValue, textOf,
} from './escape';
import { compileExpression, ExpressionSyntaxError, lineColumn, type CompiledExpression, type ExpressionLimits } from './expression';
import { parseTemplate, syntaxError, type Tag, type TemplateNode } from './parse';
import { readPath } from './path-eval';
import { repairJsonCommas } from './json-commas';
import { truthy } from './truthy';
import { uncalledFunction } from './hints';
import { HELPER_NAMES } from './helpers';

export type MissingPolicy = 'empty' | 'null' | 'fail';

export interface TemplateOptions {
  kind: TemplateKind;
  /** What a token whose expression yields no value inserts (default `empty`). */
  missing?: MissingPolicy;
  /** Time and depth limits for JSONata tokens. */
  limits?: ExpressionLimits;
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

interface Bindings { env: unknown; vars: unknown }

/** Per-render state. Loop variables live in `locals` slots assigned at compile time, so a loop costs no scope objects. */
interface State {
  out: string;
  root: Record<string, unknown>;
  locals: unknown[];
  b: Bindings;
}

/** Reads a token's value; `a` (async) getters return a Promise (full JSONata). */
type Getter = (st: State) => unknown;

interface TokenInfo { text: string; line: number; column: number }

type RNode =
  | { k: 0; s: string }
  | { k: 1; get: Getter; a: boolean; esc: (v: unknown) => string; missing: string | null; tok: TokenInfo }
  | { k: 2; get: Getter; a: boolean; slot: number; islot: number; sep: boolean; body: RNode[]; tok: TokenInfo }
  | { k: 3; branches: Array<{ get?: Getter; a: boolean; tok: TokenInfo; body: RNode[] }> };

const ESCAPERS: Record<TokenPosition, (v: unknown) => string> = {
  'json-value': (v) => jsonValue(v) ?? 'null',
  'json-key': (v) => '"' + escapeJsonString(textOf(v)) + '"',
  'json-string': (v) => escapeJsonString(typeof v === 'string' ? v : textOf(v)),
  'xml-text': (v) => escapeXmlText(typeof v === 'string' ? v : textOf(v)),
  'xml-attr': (v) => escapeXmlAttr(typeof v === 'string' ? v : textOf(v)),
  'xml-cdata': (v) => escapeXmlCdata(textOf(v)),
  'xml-comment': (v) => escapeXmlComment(textOf(v)),
  text: textOf,
};

/**
 * An XML template that is one token and nothing else (a request body `{{ data }}` after a Template or Build XML
 * node) stands for the whole document: a string is inserted as it is. Escaped, it could never be XML (text
 * outside any element), so escaping would only break the XML a flow built on purpose. Inside any markup a token
 * is escaped for its position as always.
 */
function wholeToken(root: RNode[]): Extract<RNode, { k: 1 }> | undefined {
  const parts = root.filter((n) => !(n.k === 0 && n.s.trim() === ''));
  return parts.length === 1 && parts[0].k === 1 ? parts[0] : undefined;
}

const xmlDocument = (v: unknown) => (typeof v === 'string' ? v : ESCAPERS['xml-text'](v));

/** What a missing value inserts per position and policy; null means fail. */
function missingText(pos: TokenPosition, policy: MissingPolicy): string | null {
  if (policy === 'fail') return null;
  if (pos === 'json-value') return policy === 'null' ? 'null' : '""';
  return pos === 'json-key' ? '""' : '';
}

function fail(tok: TokenInfo, what: string, cause?: unknown): TemplateRenderError {
  return new TemplateRenderError(`${tok.text} at line ${tok.line}, column ${tok.column}: ${what}`, tok.text, tok.line, tok.column, cause);
}

/** Runs an async (JSONata) getter, naming the token in any error. */
function later(get: Getter, st: State, tok: TokenInfo): Promise<unknown> {
  try {
    return Promise.resolve(get(st)).then(undefined, (err) => { throw fail(tok, (err as any)?.message ?? String(err), err); });
  } catch (err: any) {
    return Promise.reject(fail(tok, err?.message ?? String(err), err));
  }
}

function emit(n: Extract<RNode, { k: 1 }>, v: unknown, st: State): void {
  if (v === undefined || typeof v === 'function') {
    if (n.missing === null) throw fail(n.tok, 'has no value');
    st.out += n.missing;
  } else st.out += n.esc(v);
}

/**
 * Renders nodes from index `i`. Returns undefined when everything was synchronous, or a Promise as soon
 * as one expression answers asynchronously (the rest continues after it): one code path serves both.
 */
function run(nodes: RNode[], i: number, st: State): void | Promise<void> {
  for (; i < nodes.length; i++) {
    const n = nodes[i];
    if (n.k === 0) {
      st.out += n.s;
      continue;
    }
    const next = i + 1;
    let r: void | Promise<void>;
    if (n.k === 1) {
      if (n.a) return later(n.get, st, n.tok).then((v) => { emit(n, v, st); return run(nodes, next, st); });
      emit(n, n.get(st), st);
      continue;
    } else if (n.k === 2) {
      r = n.a ? later(n.get, st, n.tok).then((items) => each(n, items, 0, st)) : each(n, n.get(st), 0, st);
    } else r = branch(n, 0, st);
    if (r) return r.then(() => run(nodes, next, st));
  }
}

function each(n: Extract<RNode, { k: 2 }>, value: unknown, j: number, st: State): void | Promise<void> {
  if (value === undefined || value === null) return; // a missing list repeats nothing
  const items = Array.isArray(value) ? value : [value];
  for (; j < items.length; j++) {
    if (n.sep && j > 0) st.out += ',';
    // Slots are re-set on every iteration, so resuming after an await still sees this item.
    st.locals[n.slot] = items[j];
    if (n.islot >= 0) st.locals[n.islot] = j;
    const r = run(n.body, 0, st);
    if (r) {
      const k = j + 1;
      return r.then(() => each(n, items, k, st));
    }
  }
}

function branch(n: Extract<RNode, { k: 3 }>, j: number, st: State): void | Promise<void> {
  for (; j < n.branches.length; j++) {
    const b = n.branches[j];
    if (!b.get) return run(b.body, 0, st);
    if (b.a) {
      const k = j;
      return later(b.get, st, b.tok).then((c) => (truthy(c) ? run(b.body, 0, st) : branch(n, k + 1, st)));
    }
    if (truthy(b.get(st))) return run(b.body, 0, st);
  }
}

interface Local { name: string; slot: number }

interface Build {
  text: string;
  missing: MissingPolicy;
  limits?: ExpressionLimits;
  sync: boolean;
  slots: number;
  /** Loop variables visible here, outermost first. */
  locals: Local[];
}

/** Compiles a tag's expression into a getter: simple paths read their root directly, JSONata gets a merged input. */
function getter(b: Build, tag: Tag): { get: Getter; a: boolean } {
  let c: CompiledExpression;
  try {
    c = compileExpression(tag.expression!, b.limits);
  } catch (e) {
    if (!(e instanceof ExpressionSyntaxError)) throw e;
    const at = tag.exprStart! + e.position;
    throw syntaxError(b.text, `${e.message.replace(/ \(line \d+, column \d+\)$/, '')} in ${b.text.slice(tag.start, tag.end)}`, at, at + 1);
  }
  const uncalled = tag.kind === 'value' ? uncalledFunction(c.source, HELPER_NAMES) : undefined;
  if (uncalled) throw syntaxError(b.text, `${uncalled} (in ${b.text.slice(tag.start, tag.end)})`, tag.exprStart!, tag.exprStart! + c.source.length);
  const steps = c.path;
  if (steps) {
    const first = steps[0];
    if (first === '$env') return { a: false, get: (st) => readPath(st.b.env, steps, 1) };
    if (first === '$vars') return { a: false, get: (st) => readPath(st.b.vars, steps, 1) };
    const local = b.locals.findLast((l) => l.name === first);
    if (local) {
      const slot = local.slot;
      return { a: false, get: (st) => readPath(st.locals[slot], steps, 1) };
    }
    return { a: false, get: (st) => readPath(st.root, steps, 0) };
  }
  b.sync = false;
  const visible = [...b.locals];
  if (visible.length === 0) return { a: true, get: (st) => c.evaluate(st.root, st.b as unknown as Record<string, unknown>) };
  return {
    a: true,
    get(st) {
      const input: Record<string, unknown> = { ...st.root };
      for (const l of visible) input[l.name] = st.locals[l.slot]; // inner loops shadow outer ones
      return c.evaluate(input, st.b as unknown as Record<string, unknown>);
    },
  };
}

/** Turns the parse tree into render nodes: expressions compiled, adjacent text merged. */
function build(b: Build, nodes: TemplateNode[]): RNode[] {
  const out: RNode[] = [];
  const info = (tag: Tag): TokenInfo => ({ text: b.text.slice(tag.start, tag.end), ...lineColumn(b.text, tag.start) });
  for (const n of nodes) {
    if (n.type === 'text') {
      const last = out[out.length - 1];
      if (last && last.k === 0) last.s += n.text;
      else out.push({ k: 0, s: n.text });
    } else if (n.type === 'value') {
      out.push({ k: 1, ...getter(b, n.tag), esc: ESCAPERS[n.position], missing: missingText(n.position, b.missing), tok: info(n.tag) });
    } else if (n.type === 'each') {
      const g = getter(b, n.tag);
      const slot = b.slots++;
      const islot = n.tag.index ? b.slots++ : -1;
      b.locals.push({ name: n.tag.name!, slot });
      if (n.tag.index) b.locals.push({ name: n.tag.index, slot: islot });
      const body = build(b, n.body);
      b.locals.length -= n.tag.index ? 2 : 1;
      out.push({ k: 2, ...g, slot, islot, tok: info(n.tag), sep: n.position === 'json-value' || n.position === 'json-key', body });
    } else {
      out.push({
        k: 3,
        branches: n.branches.map((br) => {
          const g = br.tag.expression ? getter(b, br.tag) : { get: undefined, a: false };
          return { ...g, tok: info(br.tag), body: build(b, br.body) };
        }),
      });
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
  // Options may come from stored node settings, so check them rather than trust the types.
  if (kind !== 'json' && kind !== 'xml' && kind !== 'text') throw new Error(`kind: must be json, xml or text (got ${JSON.stringify(kind)})`);
  if (missing !== 'empty' && missing !== 'null' && missing !== 'fail') throw new Error(`missing: must be empty, null or fail (got ${JSON.stringify(missing)})`);
  const { nodes, hasStructuralBlocks } = parseTemplate(text, kind);
  const b: Build = { text, missing, limits: options.limits, sync: true, slots: 0, locals: [] };
  const root = build(b, nodes);
  const whole = kind === 'xml' ? wholeToken(root) : undefined;
  if (whole) whole.esc = xmlDocument;
  // Blocks in JSON structure may leave doubled, leading or trailing commas; repair only then.
  const finish = kind === 'json' && hasStructuralBlocks ? repairJsonCommas : (s: string) => s;
  // Fully literal templates (no tokens) render to a constant.
  if (root.length === 0 || (root.length === 1 && root[0].k === 0)) {
    const constant = finish(root.length ? (root[0] as { s: string }).s : '');
    return { kind, sync: true, render: () => constant };
  }
  const slots = b.slots;
  return {
    kind,
    sync: b.sync,
    render(ctx: TemplateContext) {
      const st: State = {
        out: '',
        root: { data: ctx.data, trigger: ctx.trigger, vars: ctx.vars },
        locals: slots ? new Array(slots) : [],
        b: { env: ctx.env ?? {}, vars: ctx.vars ?? {} },
      };
      const r = run(root, 0, st);
      return r ? r.then(() => finish(st.out)) : finish(st.out);
    },
  };
}
