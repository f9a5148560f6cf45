import type { HttpReply, Message } from '../model/message';
import { NodeError, type ConnectionLookup, type Logger, type NodeResult } from '../nodes/runner-types';
import type { SecretStore } from '../secrets/secret-store';
import type { SubscriptionLookup } from '../model/subscription';
import type { ExecutionStore } from '../store/types';
import type { CompiledFlow } from './compile';
import type { EventBus } from './event-bus';
import type { ExecutionStatus, RunEvent, StepRecord } from './events';
import { isoAt } from '../model/iso-time';
import { maskStep, recordMasker } from './record-mask';
import type { Masker } from '../http/mask';

/** `from` of the execution's input message (see INPUT_REF_EXECUTION in the store). */
const INPUT_STEP = -1;

/** A guard against runaway flows that opted into cycles. */
const MAX_STEPS = 10_000;

export interface ExecutionOutcome {
  status: ExecutionStatus;
  output?: unknown;
  error?: { message: string; code?: string; nodeId?: string; details?: unknown; httpStatus?: number };
}

export interface ExecuteOptions {
  executionId: string;
  triggerNodeId: string;
  message: Message;
  diagnostics: 'full' | 'metadata';
  bus: EventBus;
  store: ExecutionStore;
  env: Record<string, string>;
  secrets: SecretStore;
  connections: ConnectionLookup;
  subscriptions?: SubscriptionLookup;
  logger: Logger;
  signal: AbortSignal;
  /** Called at most once, by the first Respond node. */
  respond?: (reply: HttpReply) => void;
  /** For a retry: the first execution of its retry chain (see RunContext.originExecutionId). */
  origin?: () => Promise<string>;
}

/**
 * Runs one message through a compiled flow, depth first from the trigger, recording every step. Nodes
 * never mutate messages, so each step's input and output are what the node saw and produced.
 */
export async function executeFlow(cf: CompiledFlow, o: ExecuteOptions): Promise<ExecutionOutcome> {
  const flowId = cf.flow.id;
  let replied = false;
  const respond = (reply: HttpReply) => {
    if (replied) return;
    replied = true;
    o.respond?.(reply);
  };
  const emit = (e: RunEvent) => o.bus.emit(e);
  // `from`: the step whose only output a message is (-1: the execution's input), so its record refers to it.
  const stack: Array<{ nodeId: string; message: Message; from?: number }> = [{ nodeId: o.triggerNodeId, message: o.message, from: INPUT_STEP }];
  let index = 0;
  let last: Message = o.message;
  const record = o.diagnostics === 'full' || o.bus.active;
  const masker = recordMasker(o.env);
  /** Set once a node failed with onError `stop` and the error path took over. */
  let failedWith: ExecutionOutcome | undefined;
  while (stack.length) {
    if (index >= MAX_STEPS) return { status: 'failed', error: { message: `stopped after ${MAX_STEPS} steps (is there an endless loop?)`, code: 'too_many_steps' } };
    if (o.signal.aborted) return interrupted();
    const { nodeId, message, from } = stack.pop()!;
    const cn = cf.nodes.get(nodeId);
    if (!cn) continue;
    const started = Date.now();
    const t0 = performance.now();
    let result: NodeResult;
    let failure: NodeError | Error | undefined;
    try {
      const ran = cn.type.runner.run(message, {
        settings: cn.settings,
        prepared: cn.prepared,
        node: cn.node,
        flow: cf.flow,
        executionId: o.executionId,
        stepIndex: index,
        originExecutionId: o.origin,
        env: o.env,
        secrets: o.secrets,
        connections: o.connections,
        subscriptions: o.subscriptions,
        logger: o.logger,
        signal: o.signal,
        respond,
        emit,
      });
      // Synchronous runners (respond, set, ...) answer without a microtask turn.
      result = ran instanceof Promise ? await ran : (ran as NodeResult);
    } catch (err) {
      failure = err instanceof Error ? err : new Error(String(err));
      result = null;
    }
    // To the microsecond: the clock's noise below that only made every stored step longer.
    const durationMs = Math.round((performance.now() - t0) * 1000) / 1000;
    const step: StepRecord = {
      executionId: o.executionId,
      index: index++,
      nodeId,
      nodeType: cn.node.type,
      status: failure ? 'failed' : 'succeeded',
      startedAt: isoAt(started),
      durationMs,
    };
    // A node that failed because the runtime stopped (its request cancelled, its sleep cut short) did not fail on
    // its own: the execution is interrupted and runs again after the next start, it must not fail or halt a line.
    if (failure && o.signal.aborted) return interrupted();
    if (failure) {
      const info = errorInfo(failure);
      step.error = { message: info.message, code: info.code, details: info.details };
      if ((failure as any).attempts) step.attempts = (failure as any).attempts;
      if (cn.node.onError === 'continue') result = { message };
      else if (cn.node.onError === 'route')
        result = { port: 'error', message: { ...message, error: { ...info, nodeId, nodeType: cn.node.type } } };
      else {
        if (record) step.input = message;
        emitStep(o, flowId, step, from, masker);
        const outcome: ExecutionOutcome = { status: 'failed', output: message.data, error: { ...info, nodeId } };
        // The flow's error path: the execution has failed (and stays failed), but instead of ending here it
        // continues once from the flow's `error-trigger` node(s) with the failing message and the error, so a
        // Respond there can answer the caller. Pending branches are dropped, as with a plain stop. A failure on
        // the error path itself ends the execution with the original error.
        const errorTriggers = failedWith ? [] : [...cf.nodes.values()].filter((n) => n.node.type === 'error-trigger');
        if (!errorTriggers.length) return failedWith ?? outcome;
        failedWith = outcome;
        stack.length = 0;
        const withError: Message = { ...message, error: { ...info, nodeId, nodeType: cn.node.type } };
        for (let t = errorTriggers.length - 1; t >= 0; t--) stack.push({ nodeId: errorTriggers[t].node.id, message: withError });
        continue;
      }
    }
    const emits = toEmits(result);
    if (record) {
      step.input = message;
      if (emits.length === 1) step.output = emits[0].message;
      else if (emits.length > 1) step.output = emits.map((e) => ({ port: e.port, message: e.message }));
    }
    step.port = (emits.length === 1 ? emits[0].port : emits.map((e) => e.port).join(',')) || undefined;
    const attempts = (result as any)?.attempts;
    if (attempts) step.attempts = attempts;
    emitStep(o, flowId, step, from, masker);
    const only = emits.length === 1 ? step.index : undefined;
    for (let i = emits.length - 1; i >= 0; i--) {
      const { port, message: out } = emits[i];
      last = out;
      const targets = cf.next.get(nodeId)?.get(port);
      if (targets) for (let t = targets.length - 1; t >= 0; t--) stack.push({ nodeId: targets[t], message: out, from: only });
    }
  }
  if (failedWith) return { ...failedWith, output: last.data };
  return { status: 'succeeded', output: last.data };
}

/** Cut off by the runtime stopping: nothing is recorded as failed; the dispatcher leaves the row to recovery. */
const interrupted = (): ExecutionOutcome => ({ status: 'interrupted', error: { message: 'the runtime stopped before the execution finished', code: 'interrupted', httpStatus: 503 } });

function emitStep(o: ExecuteOptions, flowId: string, step: StepRecord, inputFrom: number | undefined, masker: Masker | undefined) {
  if (masker) maskStep(step, masker);
  o.store.recordStep(step, o.diagnostics, inputFrom);
  if (o.bus.active) o.bus.emit({ type: 'step.finished', executionId: o.executionId, flowId, step });
}

function toEmits(result: NodeResult): Array<{ port: string; message: Message }> {
  if (!result) return [];
  if ('emits' in result) return result.emits;
  return [{ port: result.port ?? 'out', message: result.message }];
}

export function errorInfo(err: Error): { message: string; code: string; details?: unknown; httpStatus?: number } {
  if (err instanceof NodeError) return { message: err.message, code: err.code, details: err.details, httpStatus: err.httpStatus };
  return { message: err.message, code: (err as any).code && typeof (err as any).code === 'string' ? (err as any).code : 'node_failed' };
}
