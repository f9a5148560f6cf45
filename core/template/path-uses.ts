import jsonata from 'jsonata';
import { evaluatePath } from './path-eval';
import { suggestPath, uncalledFunction } from './hints';
import { HELPER_NAMES } from './helpers';

/**
 * Editor support: the field paths an expression reads from the message (`data.orderId` inside
 * `{ "ref": data.orderId & '-' & data.documentId }`), so a mapping's misspelt field is marked where it is written
 * instead of silently dropping its key (JSONata leaves out a key whose value is missing). Editor-time only.
 */
export interface PathUse {
  /** The names read from the top (`['data', 'orderId']`), up to the first filter or computed step. */
  steps: string[];
  /** 0-based offsets in the source as given. */
  start: number;
  end: number;
  /** `[0]` written after a step, by step (only when the path has one). */
  indexes?: string[];
}

type Node = { type?: string; value?: unknown; position?: number; steps?: Node[]; stages?: unknown[]; predicate?: unknown[]; [k: string]: unknown };

// Parts of an AST node evaluated against the same context as the node itself. Path steps, filters and lambdas
// are left alone: names there are relative to an item or a parameter, not to the message.
const SAME_CONTEXT = ['lhs', 'rhs', 'expressions', 'arguments', 'condition', 'then', 'else', 'expression'] as const;

function walk(node: unknown, src: string, out: PathUse[]): void {
  if (Array.isArray(node)) {
    for (const n of node) walk(n, src, out);
    return;
  }
  if (node === null || typeof node !== 'object') return;
  const n = node as Node;
  if (n.type === 'lambda' || n.type === 'transform') return;
  if (n.type === 'path') {
    const use = leadingNames(n.steps ?? [], src);
    if (use) out.push(use);
    return;
  }
  for (const key of SAME_CONTEXT) if (n[key] !== undefined) walk(n[key], src, out);
}

/** A `[0]` step: reading the first item has the fields `data.lines.sku` has, so the run of names goes on. */
function isIndex(stage: unknown): boolean {
  const st = stage as { type?: string; expr?: { type?: string } };
  return st?.type === 'filter' && st.expr?.type === 'number';
}

/** The run of plain names a path starts with (`data.lines[qty > 1].sku` -> data, lines: a filter ends the run). */
function leadingNames(steps: Node[], src: string): PathUse | undefined {
  const names: string[] = [];
  const indexes: string[] = [];
  let end = 0;
  for (const s of steps) {
    if (s.type !== 'name' || typeof s.value !== 'string' || typeof s.position !== 'number') break;
    names.push(s.value);
    end = s.position + (src[s.position] === '`' ? 1 : 0);
    if (s.predicate?.length || (s.stages?.length && !s.stages.every(isIndex))) break;
    indexes.push((s.stages ?? []).map((st) => `[${(st as { expr: { value: number } }).expr.value}]`).join(''));
  }
  if (!names.length) return undefined;
  const first = steps[0] as Node & { position: number };
  const use: PathUse = { steps: names, start: Math.max(0, first.position - (first.value as string).length), end };
  if (indexes.some(Boolean)) use.indexes = indexes;
  return use;
}

/**
 * The message paths an expression reads, in order of appearance.
 * @example
 * pathUses('{ "ref": data.orderId }'); // [{ steps: ['data', 'orderId'], start: 9, end: 21 }]
 */
export function pathUses(source: string): PathUse[] {
  let ast: unknown;
  try {
    ast = jsonata(source).ast();
  } catch {
    return [];
  }
  const out: PathUse[] = [];
  walk(ast, source, out);
  return out.sort((a, b) => a.start - b.start);
}

export interface UnknownPath extends PathUse {
  path: string;
  /** "Did you mean" (a misspelling, another tool's habit), when one reads a value. */
  hint?: string;
}

/**
 * The paths of `pathUses(source)` that give no value in `scope` (the sample message, plus loop variables in a
 * template), each with a suggestion when one is found. Names in `skip` (loop variables without a sample item) are
 * not checked.
 * @example
 * unknownPaths('{ "ref": data.orderid }', { data: { orderId: 'A' } })[0].hint; // 'data.orderId'
 */
export function unknownPaths(source: string, scope: Record<string, unknown>, loops: readonly string[] = [], skip?: ReadonlySet<string>): UnknownPath[] {
  const out: UnknownPath[] = [];
  for (const use of pathUses(source)) {
    if (skip?.has(use.steps[0]) || evaluatePath(scope, use.steps) !== undefined) continue;
    let hint = suggestPath(use.steps, scope, loops);
    // Keep the `[0]` the path was written with when the suggestion is the same path respelt.
    const parts = hint?.split('.');
    if (use.indexes && parts?.length === use.steps.length) hint = parts.map((p, i) => p + (use.indexes![i] ?? '')).join('.');
    out.push({ ...use, path: source.slice(use.start, use.end), hint });
  }
  return out;
}

/**
 * Functions named without being called where their value would land in the result (`{ "receivedAt": $now }`, the
 * whole expression, an array item, a branch of `? :`): the data would hold JSONata's function object. Arguments
 * (`$map(list, $uppercase)`) are left alone.
 * @example
 * uncalledFunctions('{ "at": $now }'); // [{ start: 8, end: 12, message: '$now is a function: call it, $now()' }]
 */
export function uncalledFunctions(source: string): Array<{ start: number; end: number; message: string }> {
  let ast: unknown;
  try {
    ast = jsonata(source).ast();
  } catch {
    return [];
  }
  const out: Array<{ start: number; end: number; message: string }> = [];
  const visit = (node: unknown): void => {
    const n = node as Node | null;
    if (!n || typeof n !== 'object') return;
    if (n.type === 'variable' && typeof n.value === 'string' && typeof n.position === 'number') {
      const message = uncalledFunction(`$${n.value}`, HELPER_NAMES);
      if (message) out.push({ start: n.position - n.value.length - 1, end: n.position, message });
    } else if (n.type === 'unary' && n.value === '{') for (const pair of (n.lhs as unknown[][]) ?? []) visit(pair[1]);
    else if (n.type === 'unary' && n.value === '[') for (const e of (n.expressions as unknown[]) ?? []) visit(e);
    else if (n.type === 'condition') {
      visit(n.then);
      visit(n.else);
    }
    else if (n.type === 'block') visit((n.expressions as unknown[])?.at(-1));
  };
  visit(ast);
  return out;
}
