import type { Message } from '../../model/message';

/**
 * The message a Schedule trigger starts a run with: data `{ scheduledAt, firedAt }` (ISO times), the same as the
 * trigger's body. Browser-safe: manual runs and the studio's previews start a schedule's flow with a tick made
 * now, so its nodes are edited against the data a real tick brings.
 */
export function scheduleTick(nodeId: string, scheduledAtMs: number, firedAtMs = scheduledAtMs): Message {
  const data = { scheduledAt: new Date(scheduledAtMs).toISOString(), firedAt: new Date(firedAtMs).toISOString() };
  return { trigger: { type: 'schedule', nodeId, query: {}, headers: {}, body: { ...data }, receivedAt: data.firedAt }, data, vars: {} };
}
