import { describe, expect, it } from 'vitest';
import { noteBodyParsedFromRaw, rawBodyOf, standalone } from '../../core/model/raw-body';

describe('raw webhook bodies kept for the store', () => {
  it('a pooled Buffer view is kept as a copy in a buffer of its own (postMessage would send the whole slab)', () => {
    const pooled = Buffer.from('{"orderId":"SO-1"}');
    expect(pooled.buffer.byteLength).toBeGreaterThan(pooled.length); // Node's 8 KB pool
    const trigger = {};
    noteBodyParsedFromRaw(trigger, pooled);
    const kept = rawBodyOf(trigger)!;
    expect(kept.buffer.byteLength).toBe(pooled.length);
    expect(Buffer.from(kept).toString()).toBe('{"orderId":"SO-1"}');
    expect(rawBodyOf({})).toBeUndefined();
  });

  it('bytes that already own their buffer are not copied', () => {
    const own = new Uint8Array([1, 2, 3]);
    expect(standalone(own)).toBe(own);
  });
});
