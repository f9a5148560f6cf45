import type { FlowNode, Flow } from '../model/flow';
import type { HttpReply, Message } from '../model/message';
import type { RunEvent } from '../runtime/events';
import type { SecretStore } from '../secrets/secret-store';

/** What a node hands on: one message on a port, several (switch fan-out), or nothing (branch ends). */
export type NodeResult =
  | { port?: string; message: Message }
  | { emits: Array<{ port: string; message: Message }> }
  | null;

export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
}

/** Given to `prepare` once per deploy: compile templates and expressions here, not per message. */
export interface PrepareContext {
  flow: Flow;
  node: FlowNode;
  /** JSON path prefix of this node's settings, e.g. `nodes[2].settings`, for problems. */
  path: string;
  env: Record<string, string>;
  secrets: SecretStore;
  logger: Logger;
}

export interface RunContext<S = unknown, P = unknown> {
  settings: S;
  prepared: P;
  node: FlowNode;
  flow: Flow;
  executionId: string;
  env: Record<string, string>;
  secrets: SecretStore;
  logger: Logger;
  /** Aborted when the runtime stops past its grace period. */
  signal: AbortSignal;
  /** Answers a waiting request-response caller (first call wins; later calls are ignored). */
  respond(reply: HttpReply): void;
  /** Emits a typed run event (HTTP attempt, retry scheduled, warning) into the event stream. */
  emit(event: RunEvent): void;
}

export interface NodeRunner<S = any, P = any> {
  type: string;
  prepare?(settings: S, ctx: PrepareContext): P | Promise<P>;
  run(input: Message, ctx: RunContext<S, P>): NodeResult | Promise<NodeResult>;
}

/** An error a node raises on purpose, with a stable code and optional details (e.g. validation violations). */
export class NodeError extends Error {
  constructor(
    message: string,
    public readonly code = 'node_failed',
    public readonly details?: unknown,
    /** For request-response callers: the status to answer with if the error is not handled. */
    public readonly httpStatus?: number,
  ) {
    super(message);
    this.name = 'NodeError';
  }
}
