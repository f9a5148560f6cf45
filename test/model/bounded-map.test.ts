import { describe, expect, it } from 'vitest';
import { BoundedMap } from '../../core/model/bounded-map';

describe('BoundedMap', () => {
  it('keeps at most max entries: a new key on a full map forgets the others; replacing a key does not', () => {
    const m = new BoundedMap<string, number>(3);
    m.set('a', 1).set('b', 2).set('c', 3);
    m.set('b', 20);
    expect([...m.entries()]).toEqual([['a', 1], ['b', 20], ['c', 3]]);
    m.set('d', 4);
    expect([...m.entries()]).toEqual([['d', 4]]);
    for (let i = 0; i < 100; i++) m.set(`k${i}`, i);
    expect(m.size).toBeLessThanOrEqual(3);
  });
});
