import { describe, expect, it } from 'vitest';
import { jsonOf, jsonWithout } from '../../core/model/json-cache';

describe('jsonOf', () => {
  it('is JSON.stringify for every kind of value', () => {
    const big = { lines: Array.from({ length: 40 }, (_, i) => ({ sku: `S-${i}`, qty: i })) };
    for (const v of [null, 1, 'a "b"', true, undefined, {}, [], { a: 1, b: [null, 'x'] }, big]) expect(jsonOf(v)).toBe(JSON.stringify(v));
  });

  it('makes the JSON of a large object once (messages are never changed, so it stays valid); small ones each time', () => {
    const big = { lines: Array.from({ length: 40 }, (_, i) => ({ sku: `S-${i}`, qty: i })) };
    const first = jsonOf(big);
    big.lines.push({ sku: 'changed', qty: 0 }); // breaks the rule on purpose, to see the cache
    expect(jsonOf(big)).toBe(first);
    const small: Record<string, number> = { a: 1 };
    expect(jsonOf(small)).toBe('{"a":1}');
    small.b = 2;
    expect(jsonOf(small)).toBe('{"a":1,"b":2}');
  });

  it('jsonWithout leaves out the given keys and keys JSON leaves out', () => {
    expect(jsonWithout({ trigger: { x: 1 }, data: 'd', vars: {}, f: undefined }, (k) => k === 'trigger')).toBe('{"data":"d","vars":{}}');
  });
});
