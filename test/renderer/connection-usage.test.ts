import { describe, expect, it } from 'vitest';
import { connectionInUseText, connectionUses } from '../../renderer/connections/connection-usage';

const flows = [
  {
    id: 'flow-mx7mkj4otqir',
    name: 'Orders to ERP',
    nodes: [
      { id: 'hook', type: 'webhook', position: { x: 0, y: 0 }, settings: {} },
      { id: 'http-request-1', type: 'http-request', position: { x: 0, y: 0 }, settings: { connectionId: 'partner-basic' } },
      { id: 'call', type: 'http-request', name: 'Push stock', position: { x: 0, y: 0 }, settings: { connectionId: 'partner-basic' } },
      { id: 'other', type: 'http-request', position: { x: 0, y: 0 }, settings: { connectionId: 'erp' } },
    ],
  },
  { id: 'f2', name: 'Returns', nodes: [{ id: 'r1', type: 'http-request', name: 'Refund', position: { x: 0, y: 0 }, settings: { connectionId: 'partner-basic' } }] },
] as never;

describe('which nodes use a connection (checked before Delete asks)', () => {
  it('lists every node that refers to it, by flow name and node name; an unnamed node by its type title and id', () => {
    expect(connectionUses(flows, 'partner-basic')).toEqual([
      { flowId: 'flow-mx7mkj4otqir', flowName: 'Orders to ERP', nodeId: 'http-request-1', nodeLabel: '“Web Integration” (http-request-1)' },
      { flowId: 'flow-mx7mkj4otqir', flowName: 'Orders to ERP', nodeId: 'call', nodeLabel: '“Push stock”' },
      { flowId: 'f2', flowName: 'Returns', nodeId: 'r1', nodeLabel: '“Refund”' },
    ]);
    expect(connectionUses(flows, 'unused')).toEqual([]);
  });

  it('says why it cannot be deleted in display names, one use or several', () => {
    const uses = connectionUses(flows, 'partner-basic');
    expect(connectionInUseText('Partner basic', uses.slice(1, 2))).toBe('Cannot delete “Partner basic”: node “Push stock” in flow “Orders to ERP” uses it. Point it at another connection first.');
    expect(connectionInUseText('Partner basic', uses.slice(1))).toBe('Cannot delete “Partner basic”: node “Push stock” in flow “Orders to ERP” and node “Refund” in flow “Returns” use it. Point them at another connection first.');
    const many = [...uses, ...uses];
    expect(connectionInUseText('P', many)).toMatch(/ and 3 more use it\. Point them at another connection first\.$/);
    expect(connectionInUseText('P', many)).not.toContain('flow-mx7mkj4otqir');
  });
});
