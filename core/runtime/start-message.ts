import type { FlowNode } from '../model/flow';
import { isWholeMessage, type Message } from '../model/message';
import { startTrigger } from '../nodes/start-input';
import type { WebhookSettings } from '../nodes/webhook/spec';
import { withQueryDefaults } from './ingest';

/** A sample input is either a whole message (`{ trigger, data }`) or just the body/data to start with. */
export function toMessage(input: unknown, nodeId: string, type: string): Message {
  if (isWholeMessage(input)) {
    const m = input;
    return {
      trigger: { query: {}, headers: {}, body: undefined, receivedAt: new Date().toISOString(), ...m.trigger, type, nodeId },
      data: m.data,
      vars: m.vars ?? {},
    };
  }
  return { trigger: { type, nodeId, query: {}, headers: {}, body: input, receivedAt: new Date().toISOString() }, data: input, vars: {} };
}

/**
 * Where a manual run or a preview starts and with what: the trigger startTrigger picks, and the message from the
 * input as that trigger would make it (a webhook's query defaults filled in). `nodes`: the flow's enabled nodes; `settingsOf`: their parsed settings.
 */
export function startOf(nodes: Iterable<FlowNode>, settingsOf: (id: string) => unknown, input: unknown, triggerNodeId?: string): { trigger: FlowNode; message: Message } | undefined {
  const trigger = startTrigger(nodes, triggerNodeId);
  if (!trigger) return undefined;
  const message = toMessage(input, trigger.id, trigger.type);
  const webhook = settingsOf(trigger.id) as WebhookSettings | undefined;
  if (trigger.type === 'webhook' && webhook) message.trigger.query = withQueryDefaults(webhook.queryParams, message.trigger.query);
  return { trigger, message };
}
