/**
 * Paths and values of the data an expression or template token can read (the pinned sample or the last
 * execution's input), for completion, hover and markers. Pure, so it is unit-tested without Monaco.
 */
export interface PathEntry {
  /** As an expression reads it: `data.lines[0].sku`, `` trigger.headers.`content-type` ``. */
  path: string;
  key: string;
  type: string;
  preview: string;
}

const IDENT = /^[A-Za-z_$][\w$]*$/;

export function typeOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return `array[${v.length}]`;
  return typeof v;
}

export function previewValue(v: unknown, max = 60): string {
  let s: string;
  try {
    s = typeof v === 'string' ? JSON.stringify(v) : JSON.stringify(v) ?? String(v);
  } catch {
    s = String(v);
  }
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

/**
 * The name a completion inserts for a key: JSONata reads `trigger.headers.content-type` as a subtraction, so a
 * key that is not an identifier is written in backticks (`` trigger.headers.`content-type` ``).
 * @example
 * pathKey('orderId'); // 'orderId'
 * pathKey('Artikel-Nr'); // '`Artikel-Nr`'
 */
export function pathKey(key: string): string {
  return IDENT.test(key) ? key : '`' + key.replace(/`/g, '') + '`';
}

const SEGMENT = /`([^`]*)`|\[(\d+)\]|[^.`[\]]+/g;

/**
 * The steps of a dotted path whose steps may be backticked or indexed:
 * `` trigger.headers.`x-id` `` -> trigger, headers, x-id; `data.lines[0].sku` -> data, lines, 0, sku.
 */
export function splitPath(path: string): string[] {
  return [...path.matchAll(SEGMENT)].map((m) => m[1] ?? m[2] ?? m[0]);
}

/** Value at a dotted path (`trigger.body.items.0.sku`); `undefined` when any part is missing. */
export function valueAt(root: unknown, path: string): unknown {
  if (!path) return root;
  let cur: any = root;
  for (const part of splitPath(path)) {
    if (cur == null || typeof cur !== 'object') return undefined;
    if (Array.isArray(cur) && /^\d+$/.test(part)) cur = cur[Number(part)];
    else if (Object.prototype.hasOwnProperty.call(cur, part)) cur = cur[part];
    else return undefined;
  }
  return cur;
}

/** Whether a dotted path exists in the context (for "unknown field" markers). */
export function hasPath(root: unknown, path: string): boolean {
  if (!path) return true;
  let cur: any = root;
  for (const part of splitPath(path)) {
    if (cur == null || typeof cur !== 'object') return false;
    // JSONata maps over arrays: `items.sku` reads each item's sku, so look into the first element.
    if (Array.isArray(cur) && !/^\d+$/.test(part)) cur = cur[0];
    if (cur == null || typeof cur !== 'object' || !Object.prototype.hasOwnProperty.call(cur, part)) return false;
    cur = cur[part];
  }
  return true;
}

/** The direct children of the value at `parent` (completion candidates after `parent.`). */
export function childrenOf(root: unknown, parent: string): PathEntry[] {
  let v = parent ? valueAt(root, parent) : root;
  if (Array.isArray(v)) v = v[0];
  if (v == null || typeof v !== 'object') return [];
  return Object.entries(v as Record<string, unknown>).map(([key, val]) => ({
    key,
    path: parent ? `${parent}.${pathKey(key)}` : pathKey(key),
    type: typeOf(val),
    preview: previewValue(val),
  }));
}

/**
 * Every path in the context, depth-first, bounded (for the data tree next to the editor). Paths are written as
 * JSONata reads them, since the tree inserts them into expressions and tokens: `data.lines[0].sku` (a step `0`
 * is a syntax error) and `` trigger.headers.`content-type` ``.
 */
export function allPaths(root: unknown, maxDepth = 6, limit = 500): Array<PathEntry & { depth: number }> {
  const out: Array<PathEntry & { depth: number }> = [];
  const walk = (v: unknown, prefix: string, depth: number) => {
    if (out.length >= limit || depth > maxDepth || v == null || typeof v !== 'object') return;
    const obj = Array.isArray(v) ? (v.length ? { 0: v[0] } : {}) : (v as Record<string, unknown>);
    for (const [key, val] of Object.entries(obj)) {
      const path = Array.isArray(v) ? `${prefix}[${key}]` : prefix ? `${prefix}.${pathKey(key)}` : pathKey(key);
      out.push({ key, path, type: typeOf(val), preview: previewValue(val), depth });
      walk(val, path, depth + 1);
    }
  };
  walk(root, '', 0);
  return out;
}

/**
 * The dotted path being typed just before the cursor, split into the parent path and the partial key:
 * `"{{ trigger.bo"` -> { parent: 'trigger', partial: 'bo' }; backticked steps count (`` trigger.headers.`x-a`.b ``).
 */
export function pathBeforeCursor(textBefore: string): { parent: string; partial: string } | null {
  const m = /((?:(?:[A-Za-z_$][\w$]*|`[^`\n]*`)\.)*)([A-Za-z_$][\w$]*)?$/.exec(textBefore);
  if (!m) return null;
  const parent = (m[1] ?? '').replace(/\.$/, '');
  return { parent, partial: m[2] ?? '' };
}

export const isIdentifier = (s: string) => IDENT.test(s);

// `{{#each list as item, i}}` and `{{/each}}`, the tags that open and close a loop variable's scope.
const EACH_TAG = /\{\{\s*(?:#each\s+([\s\S]*?)(?:\s+as\s+([A-Za-z_$][\w$]*)(?:\s*,\s*([A-Za-z_$][\w$]*))?)?|(\/each))\s*\}\}/g;

/** The first value at a dotted path, looking into the first item of arrays on the way (as JSONata maps over them). */
function firstAt(root: unknown, path: string): unknown {
  let cur: any = root;
  for (const part of splitPath(path)) {
    if (Array.isArray(cur) && !/^\d+$/.test(part)) cur = cur[0];
    if (cur == null || typeof cur !== 'object' || !Object.prototype.hasOwnProperty.call(cur, part)) return undefined;
    cur = cur[part];
  }
  return cur;
}

/**
 * What a path typed at the end of `textBefore` can read: the context plus, in templates, the loop variables of
 * the `{{#each}}` blocks still open there (bound to the first item of their list, the index to 0), and `$vars`
 * for the message's vars. `$vars` is not enumerable, so it is not offered twice at the top level.
 * @example
 * const c = scopeAt({ data: { lines: [{ sku: 'S1' }] } }, '{{#each data.lines as l}}{{ l.', 'template');
 * childrenOf(c, 'l'); // [{ key: 'sku', … }]
 */
export function scopeAt(context: unknown, textBefore: string, kind: 'template' | 'expression'): unknown {
  if (context == null || typeof context !== 'object' || Array.isArray(context)) return context;
  const scope: Record<string, unknown> = { ...(context as Record<string, unknown>) };
  Object.defineProperty(scope, '$vars', { value: scope.vars, enumerable: false });
  if (kind !== 'template') return scope;
  const open: Array<Array<[string, unknown]>> = [];
  for (const m of textBefore.matchAll(EACH_TAG)) {
    if (m[4]) {
      // Leaving a loop restores what its variables shadowed.
      for (const [name, prev] of open.pop()?.reverse() ?? []) scope[name] = prev;
      continue;
    }
    const list = firstAt(scope, m[1].trim());
    const names: Array<[string, unknown]> = [];
    const bind = (name: string, value: unknown) => (names.push([name, scope[name]]), (scope[name] = value));
    bind(m[2] ?? 'item', Array.isArray(list) ? list[0] : list);
    if (m[3]) bind(m[3], 0);
    open.push(names);
  }
  return scope;
}
