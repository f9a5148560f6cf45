/**
 * The message that flows from node to node. Nodes never mutate it; each returns the next one, so every
 * step's input and output can be recorded and shown.
 */
export interface TriggerInfo {
  /** Node type of the trigger that started the execution, e.g. `webhook`. */
  type: string;
  nodeId: string;
  method?: string;
  path?: string;
  /** `:params` captured from the route. */
  params?: Record<string, string>;
  query: Record<string, string | string[]>;
  headers: Record<string, string>;
  body: unknown;
  /** Raw request bytes, base64. Always kept for webhook triggers (signatures need them). */
  rawBody?: string;
  contentType?: string;
  receivedAt: string;
}

export interface ErrorInfo {
  message: string;
  code?: string;
  nodeId?: string;
  nodeType?: string;
  details?: unknown;
}

export interface Message {
  trigger: TriggerInfo;
  data: unknown;
  vars: Record<string, unknown>;
  /** Set on messages routed to an `error` output. */
  error?: ErrorInfo;
}

/**
 * Whether a sample input is a whole message (`{ trigger, data }`) rather than the body / data to start with. Manual
 * runs (runtime `toMessage`) and the studio's editors (completion, previews) read a pinned sample the same way.
 */
export function isWholeMessage(input: unknown): input is { trigger: Partial<TriggerInfo>; data: unknown; vars?: Record<string, unknown> } {
  return !!input && typeof input === 'object' && 'trigger' in input && 'data' in input;
}

/** What a Respond node (or request-response fallback) sends back to a waiting caller. */
export interface HttpReply {
  status: number;
  headers: Record<string, string>;
  /** A string or Buffer is sent as is; anything else is sent as JSON. */
  body: unknown;
}

/**
 * The request as a webhook trigger's partition and idempotency keys read it (`body.orderId`, ``headers.`webhook-id` ``):
 * the parts of its trigger info, before any node ran. The runtime evaluates those keys against this, and the studio
 * completes and checks them against the same view of a sample.
 */
export function requestView(t: Pick<TriggerInfo, 'body' | 'query' | 'headers' | 'params' | 'method' | 'path'>) {
  return { body: t.body, query: t.query, headers: t.headers, params: t.params, method: t.method, path: t.path };
}

/**
 * A message (or a node's several `{ port, message }` outputs) without its trigger part, which never changes within an
 * execution: steps are stored so, and the studio shows them so.
 */
export function withoutTrigger(v: unknown): unknown {
  if (Array.isArray(v)) return v.map((e) => (e && typeof e === 'object' && 'message' in e ? { ...e, message: withoutTrigger((e as { message: unknown }).message) } : e));
  if (v && typeof v === 'object' && 'trigger' in v && 'data' in v) {
    const { trigger: _t, ...rest } = v as Record<string, unknown>;
    return rest;
  }
  return v;
}
