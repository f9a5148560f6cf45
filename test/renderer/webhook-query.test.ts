import { describe, expect, it } from 'vitest';
import type { Flow } from '../../core/model/flow';
import { newKeyEntry } from '../../renderer/inspector/api-keys';
import { webhookQuery } from '../../renderer/inspector/curl';
import { defaultDraft } from '../../renderer/panels/test-draft';

const params = [{ name: 'customerid', required: true }, { name: 'customername', default: 'Anon' }];
const flow = (settings: Record<string, unknown>, sample?: unknown): Flow =>
  ({ formatVersion: 1, id: 'f', name: 'F', nodes: [{ id: 'hook', type: 'webhook', position: { x: 0, y: 0 }, settings }], edges: [], sample }) as unknown as Flow;

describe('webhook query parameters in the example request', () => {
  it('a required parameter is always there, an optional one only when the sample has it', () => {
    expect(webhookQuery(params, undefined)).toBe('?customerid=value');
    expect(webhookQuery(params, { customerid: '123', customername: 'The Company & Co' })).toBe('?customerid=123&customername=The%20Company%20%26%20Co');
    expect(webhookQuery(params, { customerid: '' })).toBe('?customerid=value');
    expect(webhookQuery([{ name: 'page' }], {})).toBe('');
    expect(webhookQuery(undefined, {})).toBe('');
    expect(webhookQuery([null, {}, { name: '' }], {})).toBe('');
  });

  it('the Test request panel starts with the query a trigger requires (a send no longer earns a 400)', () => {
    expect(defaultDraft(flow({ methods: ['GET'], path: '/t37ed/CreateCustomerRecord', queryParams: params }), {}).draft.path).toBe('/t37ed/CreateCustomerRecord?customerid=value');
    const sampled = flow({ path: '/c', queryParams: params }, { trigger: { query: { customerid: '42' } } });
    expect(defaultDraft(sampled, {}).draft.path).toBe('/c?customerid=42');
    expect(defaultDraft(flow({ path: '/plain' }), {}).draft.path).toBe('/plain');
  });
});

describe('a new API key row', () => {
  it('never takes a label another key has', () => {
    const owner = { flowId: 'f', nodeId: 'hook' };
    const a = newKeyEntry([], owner, 'a');
    const b = newKeyEntry([a], owner, 'b');
    expect([a.label, b.label]).toEqual(['Default', 'Key 2']);
    // "Default" removed: a new key takes "Default" again, not a second "Key 2".
    expect(newKeyEntry([b], owner, 'c').label).toBe('Default');
    expect(newKeyEntry([a, { ...b, label: 'key 3' }, { ...b, id: 'x', label: 'Key 4' }], owner, 'd').label).toBe('Key 5');
  });
});
