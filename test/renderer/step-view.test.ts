import { describe, expect, it } from 'vitest';
import { stepView } from '../../renderer/panels/step-view';

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
