import type { DeploymentInfo } from './api';
import type { Flow } from '../model/flow';
import type { Problem } from '../model/problems';
import { webhookSettingsSchema } from '../nodes/webhook/spec';
import { Router } from '../runtime/router';

/**
 * Webhook routes of `flow` that another deployed flow already serves: the problems a deploy would be refused
 * with, reported while editing so the Path field shows them before anyone presses Deploy. Same rule as the
 * runtime's route table (one target per method and path shape).
 */
export function routeClashes(flow: Flow, deployed: DeploymentInfo[], nameOf: (flowId: string) => string | undefined): Problem[] {
  if (!Array.isArray(flow?.nodes)) return []; // not a flow yet: validateFlow says why
  const taken = new Router<{ flowId: string; nodeId: string }>();
  for (const d of deployed) {
    if (d.flowId === flow.id) continue;
    for (const e of d.endpoints) for (const m of e.methods) taken.add(m, e.path, { flowId: d.flowId, nodeId: e.nodeId });
  }
  const problems: Problem[] = [];
  flow.nodes.forEach((n, i) => {
    if (n?.type !== 'webhook' || n.disabled) return; // a half-made draft node: validateFlow names it
    const s = webhookSettingsSchema.safeParse(n.settings ?? {});
    if (!s.success) return; // the settings' own problems are reported by validateFlow
    for (const m of s.data.methods) {
      const clash = taken.add(m, s.data.path, { flowId: flow.id, nodeId: n.id });
      if (!clash) continue;
      problems.push({
        path: `nodes[${i}].settings.path`,
        code: 'route_conflict',
        message: `${m} ${s.data.path} is already served by flow "${nameOf(clash.flowId) ?? clash.flowId}" (${clash.flowId}, node "${clash.nodeId}")`,
        nodeId: n.id,
      });
    }
  });
  return problems;
}
