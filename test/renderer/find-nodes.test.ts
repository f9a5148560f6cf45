import { describe, expect, it } from 'vitest';
import { flowNodeSchema } from '../../core/model/flow';
import { findNodes } from '../../renderer/canvas/find-nodes';

const node = (n: object) => flowNodeSchema.parse(n);
const nodes = [
  node({ id: 'hook', type: 'webhook', name: 'ITscope order', settings: { methods: ['POST'], path: '/itscope/order' } }),
  node({ id: 'erp', type: 'http-request', name: 'POST to ERP', settings: { method: 'POST', url: 'https://erp.example/orders' } }),
  node({ id: 'log-1', type: 'log', notes: 'Ask Ada about the ERP ticket' }),
  node({ id: 'tpl', type: 'template', name: 'ERP order XML', settings: { kind: 'xml', template: '<Order/>' } }),
];

describe('find a node on the canvas', () => {
  it('matches every word in name, id, type, notes or settings; title matches first', () => {
    expect(findNodes(nodes, 'erp').map((f) => f.id)).toEqual(['erp', 'tpl', 'log-1']);
    expect(findNodes(nodes, 'ERP post').map((f) => f.id)).toEqual(['erp']);
    expect(findNodes(nodes, 'erp.example/orders').map((f) => f.id)).toEqual(['erp']);
    expect(findNodes(nodes, '/itscope')).toEqual([{ id: 'hook', title: 'ITscope order', detail: expect.stringContaining('Webhook') }]);
    expect(findNodes(nodes, 'web integration').map((f) => f.id)).toEqual(['erp']);
  });

  it('finds nothing for an empty query or no match', () => {
    expect(findNodes(nodes, '  ')).toEqual([]);
    expect(findNodes(nodes, 'erp nothing')).toEqual([]);
  });
});
