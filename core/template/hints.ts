import { evaluatePath } from './path-eval';

/**
 * "Did you mean" for a path the sample does not have, from the habits of other tools: a bare name (Postman's
 * `{{orderId}}`), Node-RED's `payload` / `msg.payload`, Handlebars' `this` in a loop, a field of the loop item
 * written without the loop variable, `body` / `query` / `headers` without `trigger`, and misspelt names (case, a
 * typo or two: `data.orderid` -> `data.orderId`). Editor-time only.
 * @example
 * suggestPath(['orderId'], { data: { orderId: 'A1' } }); // 'data.orderId'
 * suggestPath(['this', 'sku'], { data: {}, line: { sku: 'S1' } }, ['line']); // 'line.sku'
 */
export function suggestPath(steps: readonly string[], scope: Record<string, unknown>, loops: readonly string[] = []): string | undefined {
  const [head, ...rest] = steps;
  const inner = [...loops].reverse();
  const candidates: string[][] = [];
  if (head === 'this' || head === '$this') candidates.push(...inner.map((l) => [l, ...rest]));
  if (head === 'msg' && rest[0] === 'payload') candidates.push(['data', ...rest.slice(1)]);
  if (head === 'payload' || head === '$json') candidates.push(['data', ...rest]);
  if (head === 'body' || head === 'query' || head === 'headers' || head === 'params') candidates.push(['trigger', ...steps]);
  if (head === 'data') candidates.push(...inner.map((l) => [l, ...rest]));
  if (head !== 'data' && head !== 'trigger' && head !== 'vars' && !head.startsWith('$') && !loops.includes(head)) {
    candidates.push(...inner.map((l) => [l, ...steps]), ['data', ...steps], ['trigger', 'body', ...steps], ['vars', ...steps]);
  }
  for (const c of candidates) if (evaluatePath(scope, c) !== undefined) return c.join('.');
  // A misspelling (`data.orderid`, `data.itscopeOrderID`, `data.lnes.sku`): the same path with each missing name
  // replaced by the one key at that level that differs only in case or by a typo or two.
  for (const c of [steps, ...candidates]) {
    const fixed = respell(c, scope);
    if (fixed) return fixed.map((k) => (IDENT.test(k) ? k : '`' + k + '`')).join('.');
  }
  return undefined;
}

const IDENT = /^[A-Za-z_$][\w$]*$/;
const hasOwn = Object.prototype.hasOwnProperty;

function respell(steps: readonly string[], scope: unknown): string[] | undefined {
  const out: string[] = [];
  let changed = false;
  let cur = scope;
  for (const step of steps) {
    while (Array.isArray(cur)) cur = cur[0];
    if (cur === null || typeof cur !== 'object') return undefined;
    let key: string | undefined = step;
    if (!hasOwn.call(cur, step)) {
      key = closestKey(Object.keys(cur), step);
      if (key === undefined) return undefined;
      changed = true;
    }
    out.push(key);
    cur = (cur as Record<string, unknown>)[key];
  }
  return changed && cur !== undefined ? out : undefined;
}

/** The one key equal to `name` but for case, else the one nearest within 1 edit (2 for names of 6 or more). */
function closestKey(keys: string[], name: string): string | undefined {
  const lower = name.toLowerCase();
  const sameCase = keys.filter((k) => k.toLowerCase() === lower);
  if (sameCase.length) return sameCase.length === 1 ? sameCase[0] : undefined;
  const limit = name.length >= 6 ? 2 : 1;
  let best: string | undefined;
  let bestD = limit + 1;
  let tie = false;
  for (const k of keys) {
    if (Math.abs(k.length - name.length) > limit) continue;
    const d = editDistance(k.toLowerCase(), lower, limit);
    if (d < bestD) [best, bestD, tie] = [k, d, false];
    else if (d === bestD) tie = true;
  }
  return best !== undefined && !tie ? best : undefined;
}

/** Levenshtein distance with adjacent swaps counted as one edit, giving up past `limit`. */
function editDistance(a: string, b: string, limit: number): number {
  let prev2: number[] = [];
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    let min = i;
    for (let j = 1; j <= b.length; j++) {
      let d = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, prev2[j - 2] + 1);
      row.push(d);
      min = Math.min(min, d);
    }
    if (min > limit) return limit + 1;
    [prev2, prev] = [prev, row];
  }
  return prev[b.length];
}

/** n8n's expression variables (`$json.orderId`, `$input.item.json`), unbound here: they give no value, silently. */
export function foreignVariableHint(source: string): string | undefined {
  const m = /^\$(json|input|node|item|items|binary|parameter|workflow|execution)\b/.exec(source);
  return m ? `$${m[1]} is n8n's; here an expression reads data, trigger and vars (e.g. data.orderId), $env and $vars` : undefined;
}

// JSONata's built-in functions (https://docs.jsonata.org); with our helpers, the `$name`s that hold a function.
const JSONATA_FUNCTIONS = new Set(
  ('sum count max min average string substring substringBefore substringAfter lowercase uppercase length trim pad ' +
    'formatNumber formatBase formatInteger parseInteger number floor ceil round abs sqrt power random boolean not ' +
    'map zip filter single reduce sift keys lookup append exists spread merge reverse each error assert sort shuffle ' +
    'distinct base64encode base64decode encodeUrlComponent encodeUrl decodeUrlComponent decodeUrl eval toMillis ' +
    'fromMillis clone now millis type match contains replace split join').split(' '),
);

/**
 * A token that names a function without calling it (`{{ $now }}`, n8n's habit, or `{{ $uuid }}`) inserts the function
 * itself: JSONata's internal object as JSON text. Returns what to write instead, or undefined.
 * @example
 * uncalledFunction('$uuid', ['$uuid']); // '$uuid is a function: call it, $uuid()'
 */
export function uncalledFunction(source: string, helpers: readonly string[]): string | undefined {
  const m = /^\$([A-Za-z_]\w*)$/.exec(source.trim());
  if (!m || !(JSONATA_FUNCTIONS.has(m[1]) || helpers.includes(`$${m[1]}`))) return undefined;
  return `$${m[1]} is a function: call it, $${m[1]}()`;
}
