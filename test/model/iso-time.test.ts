import { describe, expect, it } from 'vitest';
import { isoAt } from '../../core/model/iso-time';

describe('isoAt', () => {
  it('gives the ISO text of each millisecond, also when times alternate', () => {
    const a = Date.UTC(2026, 11, 1, 20, 50, 0, 123);
    const b = a + 1;
    expect(isoAt(a)).toBe('2026-12-01T20:50:00.123Z');
    expect(isoAt(a)).toBe('2026-12-01T20:50:00.123Z');
    expect(isoAt(b)).toBe('2026-12-01T20:50:00.124Z');
    expect(isoAt(a)).toBe('2026-12-01T20:50:00.123Z');
    expect(isoAt(0)).toBe('1970-01-01T00:00:00.000Z');
  });
});

describe('isoAt against toISOString', () => {
  it('agrees for times across seconds, days, years, before 1970 and at the ends of the range', () => {
    const base = Date.UTC(2026, 11, 31, 23, 59, 59, 990);
    const times = [0, 1.5, -1.5, 999.9, -0.4, -1, -999, -1000, -1001, 1, 999, 1000, 8.64e15, -8.64e15, Date.UTC(-5, 0, 1), Date.UTC(10000, 5, 1, 1, 2, 3, 4)];
    for (let i = 0; i < 40; i++) times.push(base + i, base - i * 997, base + i * 1_000_003);
    for (const t of times) expect(isoAt(t)).toBe(new Date(t).toISOString());
    // Back and forth between seconds: the cached second never leaks into another one.
    for (const t of [base, base + 15, base - 2000, base + 15]) expect(isoAt(t)).toBe(new Date(t).toISOString());
  });

  it('throws for a time toISOString cannot show', () => {
    expect(() => isoAt(Number.NaN)).toThrow(RangeError);
  });
});
