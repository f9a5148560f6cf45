import { describe, expect, it } from 'vitest';
import { prettyBody, requestAsSent, stepView } from '../../renderer/panels/step-view';

describe('step view (executions panel)', () => {
  it('shows data and vars before the trigger, and text outputs as they read', () => {
    const xml = '<Order id="A-1">\n  <Line sku="S1"/>\n</Order>';
    const v = stepView({ trigger: { body: { big: 1 } }, data: xml, vars: { erp: '<E/>', n: 2, note: 'one line' } });
    expect(Object.keys(JSON.parse(v.json))).toEqual(['data', 'vars', 'trigger']);
    expect(v.texts).toEqual([{ label: 'data', text: xml }, { label: 'vars.erp', text: '<E/>' }]);
  });

  it('leaves other values alone', () => {
    expect(stepView({ trigger: {}, data: { a: 1 }, vars: {} }).texts).toEqual([]);
    expect(stepView({ trigger: {}, data: 'plain', vars: {} }).texts).toEqual([]);
    expect(stepView(null)).toEqual({ json: 'null', texts: [] });
    expect(stepView(undefined)).toEqual({ json: '', texts: [] });
    expect(stepView({ status: 200 })).toEqual({ json: '{\n  "status": 200\n}', texts: [] });
  });
});

describe('request as sent', () => {
  it('shows the body byte for byte, so it matches its Content-Length (it was pretty-printed); the response reads pretty', () => {
    const body = '{"note":"it\'s","qty":1}';
    const text = requestAsSent({ method: 'POST', url: 'http://x/orders', headers: { 'Content-Length': String(Buffer.byteLength(body)) }, body });
    expect(text).toBe(`POST http://x/orders\nContent-Length: 23\n\n${body}`);
    expect(prettyBody(body)).toBe('{\n  "note": "it\'s",\n  "qty": 1\n}');
    expect(requestAsSent({ method: 'GET', url: 'http://x/', headers: {} })).toBe('GET http://x/\n');
  });
});
