import { describe, expect, it } from 'vitest';
import { subscriptionSetSchema } from '../../core/model/subscription';
import { emptyRow, newSigningSecret, rowProblems, rowsFromSet, sameRows, setFromRows, subSecretName, urlHint } from '../../renderer/subscriptions/subscription-rows';

describe('subscription rows', () => {
  it('lists every standard event type, with the saved subscriptions first in type order', () => {
    const set = subscriptionSetSchema.parse({ subscriptions: [{ id: 'inv', eventType: 'INVOICE', enabled: true, url: 'https://erp.example/i' }, { id: 'ret', eventType: 'RETURN', url: 'https://erp.example/r' }] });
    const rows = rowsFromSet(set);
    expect(rows.map((r) => r.eventType)).toEqual(['ORDER', 'ORDERRESPONSE', 'DELIVERY', 'INVOICE', 'RETURN']);
    expect(rows.find((r) => r.eventType === 'ORDER')).toMatchObject({ id: 'order', enabled: false, url: '' });
  });

  it('leaves blank rows out of the saved set and maps problems back to rows', () => {
    const rows = rowsFromSet(subscriptionSetSchema.parse({ subscriptions: [] }));
    rows[1] = { ...rows[1], enabled: true, url: 'http://partner.example/hook' };
    rows[2] = { ...rows[2], url: 'http://127.0.0.1:9000/hook' };
    const { set, index } = setFromRows(rows);
    expect(set.subscriptions).toHaveLength(2);
    expect(index).toEqual([-1, 0, 1, -1]);
    const p = rowProblems(rows);
    expect(p[0]).toEqual({});
    expect(p[1].url[0].severity).not.toBe('warning');
    expect(p[1].url[0].message).toMatch(/https/);
    expect(p[2]).toEqual({});
    // Once the set is valid, the localhost URL carries a warning (not an error).
    rows[1] = { ...rows[1], url: 'https://partner.example/hook' };
    expect(rowProblems(rows)[2].url[0]).toMatchObject({ severity: 'warning' });
    expect(urlHint('http://localhost:1/x')).toMatch(/unencrypted/);
    expect(urlHint('https://a.example')).toBeUndefined();
  });

  it('names secrets, makes unique ids, generates whsec_ secrets and compares sets', () => {
    expect(subSecretName('order', 'password')).toBe('SUB_ORDER_PASSWORD');
    expect(emptyRow('ORDER', [emptyRow('ORDER')]).id).toBe('order-2');
    const s = newSigningSecret();
    expect(s).toMatch(/^whsec_[A-Za-z0-9+/]{32}$/);
    const rows = rowsFromSet(subscriptionSetSchema.parse({}));
    expect(sameRows(rows, rowsFromSet(subscriptionSetSchema.parse({})))).toBe(true);
    expect(sameRows(rows, rows.map((r, i) => (i === 0 ? { ...r, enabled: true } : r)))).toBe(false);
  });
});
