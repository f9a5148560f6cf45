import type { Message } from '../model/message';
import { rawBodyOf } from '../model/raw-body';
import { inputJson, REF_BODY_FROM_RAW, REF_DATA_IS_BODY } from './record-codec';
import type { NewExecution } from './types';

/**
 * The parameters of an execution's `insert` (see statements.ts), patched in place until the row is written. A
 * class, not an object literal, for the reason given at StepWrite (step-holder.ts): a request-response row is
 * held for the whole run with its input's JSON.
 */
export class ExecutionRow {
  id: string;
  flowId: string;
  flowRevision: number;
  triggerNodeId: string;
  lane: string | null;
  orderSeq: number | null;
  status: string;
  blocking = 0;
  queuedAt: number;
  startedAt: number | null;
  finishedAt: number | null = null;
  businessKey: string | null;
  idempotencyKey: string | null;
  retryOf: string | null;
  diagnostics: string;
  /** Lazily (metadata diagnostics): serialised when the batch is sent, and not at all when finish() drops it first. */
  input: string | number | null | undefined;
  inputMessage: Message | undefined;
  /** The raw bytes, copied into the batch's spool when the row is written (see spool.ts). */
  rawBody: Uint8Array | number | null;
  output: string | number | null = null;
  error: string | number | null = null;
  refs: number;
  steps: string | number | null = null;
  reply: string | number | null = null;

  constructor(rec: NewExecution) {
    const input = rec.input;
    // A webhook message as received carries its body three times (data, trigger.body and trigger.rawBody):
    // stored once, as the raw bytes when the body is parsed from them, else as trigger.body.
    const dataIsBody = input.data !== undefined && input.data === input.trigger?.body;
    const raw = rawBodyOf(input.trigger);
    this.refs = (dataIsBody ? REF_DATA_IS_BODY : 0) | (raw ? REF_BODY_FROM_RAW : 0);
    this.id = rec.id;
    this.flowId = rec.flowId;
    this.flowRevision = rec.flowRevision;
    this.triggerNodeId = rec.triggerNodeId;
    this.lane = rec.lane ?? null;
    this.orderSeq = rec.orderSeq ?? null;
    this.status = rec.status;
    this.queuedAt = rec.queuedAt;
    this.startedAt = rec.status === 'running' ? rec.queuedAt : null;
    this.businessKey = rec.businessKey ?? null;
    this.idempotencyKey = rec.idempotencyKey ?? null;
    this.retryOf = rec.retryOf ?? null;
    this.diagnostics = rec.diagnostics;
    // Full diagnostics always keep the input: serialised now, so the row holds text only and the message can be
    // collected with its request. Metadata diagnostics keep it lazy: finish() usually drops it.
    const eager = rec.diagnostics === 'full';
    this.input = eager ? inputJson(input, this.refs) : undefined;
    this.inputMessage = eager ? undefined : input;
    this.rawBody = raw ?? null;
  }
}
