import { describe, expect, it } from 'vitest';
import { isStaleResult, settingsKey } from '../../renderer/inspector/stale-result';

describe('node test results made with older settings', () => {
  it('keys settings by content: key order and undefined fields do not count', () => {
    expect(settingsKey({ b: 1, a: [1, { d: 2, c: 3 }], x: undefined })).toBe(settingsKey({ a: [1, { c: 3, d: 2 }], b: 1 }));
    expect(settingsKey({ url: 'http://a/x' })).not.toBe(settingsKey({ url: 'http://a/y' }));
    // Array order is meaning (headers, rows): it counts.
    expect(settingsKey({ h: [1, 2] })).not.toBe(settingsKey({ h: [2, 1] }));
  });

  it('a result is stale once the settings differ from those it was sent with', () => {
    const sent = { method: 'GET', url: 'http://partner/orders' };
    const key = settingsKey(sent);
    expect(isStaleResult(key, { url: 'http://partner/orders', method: 'GET' })).toBe(false);
    expect(isStaleResult(key, { method: 'POST', url: 'http://partner/orders' })).toBe(true);
    expect(isStaleResult(undefined, sent)).toBe(false);
  });
});
