/** A flow's answer to a request-response caller, as sent. */
export interface StoredReply {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

export interface ReplyEntry {
  executionId: string;
  at: number;
  reply?: StoredReply;
  waiting: Array<(r: StoredReply) => void>;
}

/** Header on a replayed answer, as Stripe marks one. */
export const REPLAYED_HEADER = 'idempotent-replayed';

/**
 * The answers of request-response executions started with an idempotency key, so that a duplicate (a partner
 * retrying after its timeout or a dropped connection) gets the original answer, as Stripe replays one
 * (`Idempotent-Replayed: true`), instead of only the original execution id. A duplicate that arrives while the
 * original still runs waits for its answer. Kept in memory, the newest `max` keys; the store keeps every answer with
 * its execution too (FinishRecord.reply), which answers a duplicate after a restart or for an older key.
 *
 * @example
 * const replies = new ReplyCache();
 * replies.started('flow/hook\0evt-1', executionId, Date.now());
 * replies.answered('flow/hook\0evt-1', executionId, { status: 200, headers: {}, body: { orderId: 'SO-1' } });
 * replies.lookup('flow/hook\0evt-1', 86_400_000, Date.now())?.reply; // { status: 200, ... }
 */
export class ReplyCache {
  private readonly entries = new Map<string, ReplyEntry>();

  constructor(private readonly max = 1000) {}

  started(key: string, executionId: string, at: number): void {
    this.entries.delete(key);
    this.entries.set(key, { executionId, at, waiting: [] });
    // Oldest first (insertion order): forget the oldest beyond the limit.
    if (this.entries.size > this.max) this.entries.delete(this.entries.keys().next().value as string);
  }

  /** Records the answer of the execution that started under `key` and hands it to the duplicates waiting for it. */
  answered(key: string, executionId: string, reply: StoredReply): void {
    const e = this.entries.get(key);
    if (!e || e.executionId !== executionId || e.reply) return;
    e.reply = reply;
    for (const w of e.waiting.splice(0)) w(reply);
  }

  /** The entry for `key` when it started within `windowMs` before `now`. */
  lookup(key: string, windowMs: number, now: number): ReplyEntry | undefined {
    const e = this.entries.get(key);
    return e && now - e.at <= windowMs ? e : undefined;
  }

  /** Calls `cb` with the answer once there is one (at once if there is). */
  whenAnswered(e: ReplyEntry, cb: (r: StoredReply) => void): void {
    if (e.reply) cb(e.reply);
    else e.waiting.push(cb);
  }
}

/** How much of a failure a request-response caller is told (the webhook's `errorReply`). */
export type ErrorReply = 'details' | 'message' | 'generic';

/**
 * The body a request-response caller gets when the flow failed. `details` names the failing node and carries the
 * partner's answer; `message` only the code and message; `generic` only the code, so a caller outside the
 * organisation learns nothing about internal URLs, partners or secret names. The execution id is always there:
 * it is what the caller quotes when asking why.
 */
export function failureBody(error: { code?: string; message?: string; nodeId?: string; details?: unknown } | undefined, executionId: string, mode: ErrorReply = 'details'): Record<string, unknown> {
  const code = error?.code ?? 'failed';
  if (mode === 'generic') return { error: code, message: 'the flow failed', executionId };
  if (mode === 'message') return { error: code, message: error?.message, executionId };
  return { error: code, message: error?.message, nodeId: error?.nodeId, details: error?.details, executionId };
}
