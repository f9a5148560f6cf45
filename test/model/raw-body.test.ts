import { describe, expect, it } from 'vitest';
import { noteBodyParsedFromRaw, rawBodyOf } from '../../core/model/raw-body';

describe('raw webhook bodies kept for the store', () => {
  it('keeps the bytes a trigger body was parsed from, for that trigger only', () => {
    const pooled = Buffer.from('{"orderId":"SO-1"}');
    const trigger = {};
    noteBodyParsedFromRaw(trigger, pooled);
    expect(Buffer.from(rawBodyOf(trigger)!).toString()).toBe('{"orderId":"SO-1"}');
    expect(rawBodyOf({})).toBeUndefined();
    expect(rawBodyOf(undefined)).toBeUndefined();
  });
});
