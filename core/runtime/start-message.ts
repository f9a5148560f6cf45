import { isWholeMessage, type Message } from '../model/message';

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
