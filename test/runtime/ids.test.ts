import { describe, expect, it } from 'vitest';
import { uuidv7, uuidv7Time } from '../../core/runtime/ids';

const V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('uuidv7 execution ids', () => {
  it('are RFC 9562 version 7 ids that carry their creation time', () => {
    const now = Date.parse('2026-12-01T12:00:00.123Z');
    const id = uuidv7(now + 10_000_000); // later than any id made so far in this file
    expect(id).toMatch(V7);
    expect(uuidv7Time(id)).toBe(now + 10_000_000);
    expect(uuidv7Time('6f1c2a9e-3b4d-4c5e-8f60-718293a4b5c6')).toBeUndefined();
  });

  it('sort in creation order, within one millisecond too and past 4096 ids in it', () => {
    const ms = Date.now() + 20_000_000;
    const ids = Array.from({ length: 10_000 }, () => uuidv7(ms));
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids);
    for (const id of ids) expect(id).toMatch(V7);
    // 10,000 ids in one millisecond borrow the next two: the time never goes back and never runs far ahead.
    expect(uuidv7Time(ids[0])).toBe(ms);
    expect(uuidv7Time(ids[ids.length - 1])).toBe(ms + 2);
  });

  it('never go back when the clock does', () => {
    const a = uuidv7(Date.now() + 30_000_000);
    const b = uuidv7(Date.now()); // the clock stepped back
    expect(b > a).toBe(true);
  });

  it('have 62 random bits: no repeats over many ids', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 50_000; i++) seen.add(uuidv7().slice(19));
    expect(seen.size).toBe(50_000);
  });
});
