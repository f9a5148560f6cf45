import type { FlowNode, Flow } from '../model/flow';
import type { HttpReply, Message } from '../model/message';
import type { RunEvent } from '../runtime/events';
import type { SecretStore } from '../secrets/secret-store';
import type { Connection } from '../model/connection';
import type { SubscriptionLookup } from '../model/subscription';

/** Saved connections ("authorisation config groups"), shared by nodes and flows, looked up by id. */
export interface ConnectionLookup {
  get(id: string): Connection | undefined;
}

/** What a node hands on: one message on a port, several (switch fan-out), or nothing (branch ends). */
export type NodeResult =
  | { port?: string; message: Message }
  | { emits: Array<{ port: string; message: Message }> }
  | null;

export interface Logger {
  /** The lowest level written, when the logger knows it: work done only for debug lines checks it first. */
  readonly level?: 'debug' | 'info' | 'warn' | 'error';
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
  connections: ConnectionLookup;
  /** Applied event subscriptions (Publish Event); absent where the host has none. */
  subscriptions?: SubscriptionLookup;
  logger: Logger;
}

export interface RunContext<S = unknown, P = unknown> {
  settings: S;
  prepared: P;
  node: FlowNode;
  flow: Flow;
  executionId: string;
  /** Where this step is in the execution (0: the trigger): the same for the same step of a retried execution. */
  stepIndex?: number;
  /**
   * The first execution of the retry chain this one belongs to; absent when this execution is no retry (then it is
   * `executionId`). What stays the same when a failed run is retried, e.g. for an event id a partner de-duplicates.
   */
  originExecutionId?(): Promise<string>;
  env: Record<string, string>;
  secrets: SecretStore;
  connections: ConnectionLookup;
  subscriptions?: SubscriptionLookup;
  logger: Logger;
  /** Aborted when the runtime stops past its grace period. */
  signal: AbortSignal;
  /** Answers a waiting request-response caller (first call wins; later calls are ignored). */
  respond(reply: HttpReply): void;
  /** Emits a typed run event (HTTP attempt, retry scheduled, warning) into the event stream. */
  emit(event: RunEvent): void;
}

/** Given to a non-webhook trigger (schedule, ...) when its flow is deployed. */
export interface TriggerActivation<S = unknown, P = unknown> {
  settings: S;
  prepared: P;
  node: FlowNode;
  flow: Flow;
  env: Record<string, string>;
  logger: Logger;
  emit(event: RunEvent): void;
  /**
   * Starts an execution of this flow at this trigger with the message: recorded durably, then run through the
   * trigger's queue. `done` settles when the execution has finished (for "no overlapping runs").
   */
  fire(message: Message): Promise<{ executionId: string; done: Promise<{ status: string }> }>;
}

export interface NodeRunner<S = any, P = any> {
  type: string;
  prepare?(settings: S, ctx: PrepareContext): P | Promise<P>;
  run(input: Message, ctx: RunContext<S, P>): NodeResult | Promise<NodeResult>;
  /** Triggers other than webhooks start here on deploy; the returned function stops them (undeploy, redeploy, stop). */
  activate?(ctx: TriggerActivation<S, P>): (() => void) | Promise<() => void>;
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
