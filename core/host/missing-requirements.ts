import { findRequirements } from '../bundle/requirements';
import type { Connection } from '../model/connection';
import type { Flow } from '../model/flow';
import type { Problem } from '../model/problems';
import type { SecretStore } from '../secrets/secret-store';
import type { SubscriptionLookup } from '../model/subscription';

/**
 * Secrets and `$env` variables a flow's nodes need that are not there now, as warnings on each node: the flow
 * deploys (the value may be set later, and a disabled path may never run), but the designer should learn it in
 * the problems list and at deploy, not from the first request failing with a 502 (n8n flags such credentials).
 */
export function missingRequirementProblems(
  flow: unknown,
  deps: { connection(id: string): Connection | undefined; secrets: Pick<SecretStore, 'has'>; env: Readonly<Record<string, string>>; subscriptions?: SubscriptionLookup },
): Problem[] {
  const f = flow as Partial<Flow> | null;
  if (!f || !Array.isArray(f.nodes)) return [];
  const out: Problem[] = [];
  f.nodes.forEach((node, i) => {
    if (!node || typeof node !== 'object' || node.disabled || !node.settings || typeof node.settings !== 'object') return;
    const settings = node.settings as Record<string, unknown>;
    const connectionId = typeof settings.connectionId === 'string' ? settings.connectionId : undefined;
    const connection = connectionId ? deps.connection(connectionId) : undefined;
    const needs = findRequirements([{ ...(f as Flow), nodes: [node] }], connection ? [connection as unknown as Record<string, unknown>] : []);
    // Named after the connection only when only the connection reads it (not the node's own settings too).
    const onlyConnection = (usedBy: string[]) => !!connection && !usedBy.some((u) => u.startsWith('flow '));
    const where = (usedBy: string[]) => (onlyConnection(usedBy) ? `nodes[${i}].settings.connectionId` : `nodes[${i}].settings`);
    const via = (usedBy: string[]) => (onlyConnection(usedBy) ? ` (connection "${connection!.name}")` : '');
    for (const s of needs.secrets) {
      if (deps.secrets.has(s.name)) continue;
      out.push({ path: where(s.usedBy), code: 'missing_secret', severity: 'warning', nodeId: node.id, message: `secret ${s.name}${via(s.usedBy)} is not set: the node fails when it runs until it is` });
    }
    for (const v of needs.variables) {
      if (deps.env[v.name] !== undefined && deps.env[v.name] !== '') continue;
      out.push({ path: where(v.usedBy), code: 'missing_variable', severity: 'warning', nodeId: node.id, message: `$env.${v.name}${via(v.usedBy)} is not set in the active environment: it renders empty` });
    }
    if (node.type === 'publish-event' && deps.subscriptions) {
      const type = typeof settings.eventType === 'string' ? settings.eventType : 'ORDER';
      if (!deps.subscriptions.forType(type).length)
        out.push({ path: `nodes[${i}].settings.eventType`, code: 'no_subscribers', severity: 'warning', nodeId: node.id, message: `no enabled, applied event subscription has type ${type}: the events reach nobody (add or apply one under Event subscriptions)` });
    }
  });
  return out;
}
