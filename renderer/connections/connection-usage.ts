import type { Flow } from '../../core/model/flow';
import { findSpec } from '../../core/nodes/catalogue';

/** A node that refers to a connection, with the names the user knows it by. */
export interface ConnectionUse {
  flowId: string;
  flowName: string;
  nodeId: string;
  /** The node's own name, or its type's title with the id (two unnamed Web Integration nodes differ only by id). */
  nodeLabel: string;
}

/**
 * The nodes in `flows` that refer to connection `connectionId` (by `settings.connectionId`, as the host's
 * delete check does). Asked before "Delete?" is, so a connection in use is refused up front.
 *
 * @example
 * connectionUses([{ id: 'f1', name: 'Orders', nodes: [{ id: 'call', type: 'http-request', name: 'Call ERP', settings: { connectionId: 'erp' } }] }], 'erp');
 * // [{ flowId: 'f1', flowName: 'Orders', nodeId: 'call', nodeLabel: '“Call ERP”' }]
 */
export function connectionUses(flows: Array<Pick<Flow, 'id' | 'name' | 'nodes'>>, connectionId: string): ConnectionUse[] {
  return flows.flatMap((f) =>
    f.nodes
      .filter((n) => (n.settings as { connectionId?: unknown } | undefined)?.connectionId === connectionId)
      .map((n) => ({ flowId: f.id, flowName: f.name, nodeId: n.id, nodeLabel: n.name ? `“${n.name}”` : `“${findSpec(n.type)?.title ?? n.type}” (${n.id})` })),
  );
}

/**
 * Why a connection cannot be deleted, by display names.
 *
 * @example
 * connectionInUseText('Partner', [{ flowId: 'f1', flowName: 'Orders', nodeId: 'call', nodeLabel: '“Call ERP”' }]);
 * // 'Cannot delete “Partner”: node “Call ERP” in flow “Orders” uses it. Point it at another connection first.'
 */
export function connectionInUseText(connectionName: string, uses: ConnectionUse[]): string {
  const where = uses.map((u) => `node ${u.nodeLabel} in flow “${u.flowName}”`);
  const list = where.length > 3 ? `${where.slice(0, 3).join(', ')} and ${where.length - 3} more` : where.join(where.length === 2 ? ' and ' : ', ');
  return uses.length === 1
    ? `Cannot delete “${connectionName}”: ${list} uses it. Point it at another connection first.`
    : `Cannot delete “${connectionName}”: ${list} use it. Point them at another connection first.`;
}
