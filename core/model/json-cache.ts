/**
 * JSON text of values that never change once made. Messages and their data are immutable (nodes return new
 * ones, see message.ts), so the JSON of an object can be computed once and reused by everyone who needs it in
 * the same execution: the Respond node's body, the step records and the execution's output. Browser-safe.
 */
const cache = new WeakMap<object, string>();

/**
 * Below this length the JSON is made again when asked for again: remembering it (a weak map entry, which the
 * garbage collector has to trace) cost more than stringifying a small object (`{}`, `{"id":"X-1"}`) twice.
 */
const CACHED_FROM = 256;

/** `JSON.stringify(value)`, computed once per object (unless small); `undefined` for values JSON leaves out. */
export function jsonOf(value: unknown): string | undefined {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  let text = cache.get(value);
  if (text === undefined) {
    text = JSON.stringify(value);
    if (text !== undefined && text.length >= CACHED_FROM) cache.set(value, text);
  }
  return text;
}

/**
 * JSON of an object without some of its keys, built from the cached JSON of each value, so e.g. a message's
 * `data` is serialised once however many records contain it. Same text as `JSON.stringify` of the object with
 * those keys removed (keys whose JSON is undefined are left out, as JSON.stringify does).
 */
export function jsonWithout(obj: Record<string, unknown>, omit: (key: string) => boolean): string {
  let out = '{';
  for (const key of Object.keys(obj)) {
    if (omit(key)) continue;
    const v = jsonOf(obj[key]);
    if (v === undefined) continue;
    if (out.length > 1) out += ',';
    out += JSON.stringify(key) + ':' + v;
  }
  return out + '}';
}
