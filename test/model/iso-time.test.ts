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
