/**
 * Synchronous evaluation of simple dotted paths with JSONata's semantics, so the fast path and full
 * JSONata always agree (checked by a property test against the real engine):
 * - only own properties are read (never `constructor`, `__proto__` or anything inherited);
 * - a step over an array maps over its items and flattens one level into a result sequence;
 * - a sequence of one value is that value, an empty sequence is `undefined`;
 * - an array reached as a whole by the last step is returned as it is (even with 0 or 1 items).
 */

const hasOwn = Object.prototype.hasOwnProperty;

/** JSONata marks its result sequences with `sequence: true`; data from an earlier step may carry it. */
function isSequence(v: unknown, own: Set<unknown>): boolean {
  return Array.isArray(v) && (own.has(v) || (v as any).sequence === true);
}

function lookup(input: unknown, key: string, seqs: Set<unknown>): unknown {
  if (Array.isArray(input)) {
    const result: unknown[] = [];
    seqs.add(result);
    for (const item of input) {
      const res = lookup(item, key, seqs);
      if (res !== undefined) {
        if (Array.isArray(res)) for (const v of res) result.push(v);
        else result.push(res);
      }
    }
    return result;
  }
  if (input !== null && typeof input === 'object' && hasOwn.call(input, key)) return (input as any)[key];
  return undefined;
}

/** What JSONata's `evaluate` does to every result: an empty sequence is nothing, a singleton is its item. */
function collapse(v: unknown, seqs: Set<unknown>): unknown {
  if (isSequence(v, seqs)) {
    const a = v as unknown[];
    if (a.length === 0) return undefined;
    if (a.length === 1) return a[0];
  }
  return v;
}

function step(inputs: unknown[], get: (item: unknown) => unknown, last: boolean, seqs: Set<unknown>): unknown[] {
  const results: unknown[] = [];
  for (const item of inputs) {
    const res = get(item);
    if (res !== undefined) results.push(res);
  }
  if (last && results.length === 1 && Array.isArray(results[0]) && !isSequence(results[0], seqs)) {
    return results[0] as unknown[];
  }
  const out: unknown[] = [];
  seqs.add(out);
  for (const res of results) {
    if (!Array.isArray(res) || (res as any).cons) out.push(res);
    else for (const v of res) out.push(v);
  }
  return out;
}

function general(input: unknown, steps: readonly string[], variable: { value: unknown } | undefined): unknown {
  const seqs = new Set<unknown>();
  let seq: unknown[] = [input];
  let result: unknown[] = seq;
  for (let i = 0; i < steps.length; i++) {
    const last = i === steps.length - 1;
    const get = i === 0 && variable ? () => variable.value : (item: unknown) => collapse(lookup(item, steps[i], seqs), seqs);
    result = step(seq, get, last, seqs);
    if (result.length === 0) break;
    seq = result;
  }
  if (isSequence(result, seqs)) {
    if (result.length === 0) return undefined;
    if (result.length === 1) return result[0];
  }
  return result;
}

/**
 * Reads `steps` from `start`, beginning at step `from`: 0 when `start` is the input object, 1 when
 * `start` is already the value of the first step (a `$variable` or a template loop variable).
 * @example
 * readPath({ sku: 'a' }, ['line', 'sku'], 1); // 'a'
 */
export function readPath(start: unknown, steps: readonly string[], from: 0 | 1): unknown {
  // Fast walk over plain objects; anything involving arrays takes the general (sequence) route.
  let cur = start;
  for (let i = from; i < steps.length; i++) {
    if (cur === null || typeof cur !== 'object') return undefined;
    if (Array.isArray(cur)) return from === 0 ? general(start, steps, undefined) : general(undefined, steps, { value: start });
    const key = steps[i];
    if (!hasOwn.call(cur, key)) return undefined;
    cur = (cur as any)[key];
  }
  if (Array.isArray(cur) && (cur as any).sequence === true) {
    return from === 0 ? general(start, steps, undefined) : general(undefined, steps, { value: start });
  }
  return cur;
}

/**
 * Reads `steps` from `input`. When `variable` is given, the first step is that variable's value
 * (`$env.X`) instead of a property of `input`.
 * @example
 * evaluatePath({ data: { lines: [{ sku: 'a' }, { sku: 'b' }] } }, ['data', 'lines', 'sku']); // ['a', 'b']
 */
export function evaluatePath(input: unknown, steps: readonly string[], variable?: { value: unknown }): unknown {
  return variable ? readPath(variable.value, steps, 1) : readPath(input, steps, 0);
}
