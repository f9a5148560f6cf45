import type { ExecutionDetail, ExecutionQuery, ExecutionSummary, Page } from '../host/api';
import type { ExecutionStatus, StepRecord } from '../runtime/events';
import type { Message } from '../model/message';
import type { StoredReply } from '../runtime/replies';

/** A message accepted by a trigger, recorded before it is acknowledged. */
export interface NewExecution {
  id: string;
  flowId: string;
  flowRevision: number;
  triggerNodeId: string;
  /** Ordered lane (`flowId/nodeId/partition`); absent for unordered triggers. */
  lane?: string;
  /** Position in the lane; a re-run of an interrupted message keeps the original's position. */
  orderSeq?: number;
  status: 'queued' | 'running';
  queuedAt: number;
  businessKey?: string;
  idempotencyKey?: string;
  retryOf?: string;
  diagnostics: 'full' | 'metadata';
  input: Message;
}

/** A queued or interrupted execution read back at start-up. */
export interface PendingExecution {
  id: string;
  flowId: string;
  flowRevision: number;
  triggerNodeId: string;
  lane?: string;
  orderSeq: number;
  status: ExecutionStatus;
  blocking: boolean;
  queuedAt: number;
  businessKey?: string;
  diagnostics: 'full' | 'metadata';
  input: Message;
}

/** An execution's place in its queue; `input` is absent when its diagnostics kept no payloads. */
export type QueueEntry = Omit<PendingExecution, 'input'> & { input?: Message };

export interface FinishRecord {
  status: ExecutionStatus;
  finishedAt: number;
  output?: unknown;
  error?: { message: string; code?: string; nodeId?: string };
  /** An ordered line halted on this execution. */
  blocking?: boolean;
  /** The flow's answer to a request-response caller, kept when it ran under an idempotency key (for duplicates). */
  reply?: StoredReply;
}

/**
 * The execution store and durable queue behind one interface, so a PostgreSQL implementation can
 * replace SQLite. Writes other than `accept` are write-behind: queued in memory and committed in the
 * next group commit, in order. Reads see every write made before them.
 */
export interface ExecutionStore {
  /** Durably records accepted messages; resolves once committed (group commit). Returns the lane position. */
  accept(rec: NewExecution): Promise<number>;
  /** Records an execution that runs at once without a durable queue (request-response), write-behind. */
  record(rec: NewExecution): void;
  markStarted(id: string, at: number): void;
  /**
   * @param inputFrom the index of the step whose only output is this step's input (-1: the execution's input), when
   * the caller knows it: the record then refers to that output instead of storing the message again.
   */
  recordStep(step: StepRecord, diagnostics: 'full' | 'metadata', inputFrom?: number): void;
  finish(id: string, rec: FinishRecord, diagnostics: 'full' | 'metadata'): void;
  setBlocking(id: string, blocking: boolean, status?: ExecutionStatus): void;
  getExecution(id: string): Promise<ExecutionDetail | null>;
  getInput(id: string): Promise<{ input: Message; summary: ExecutionSummary } | null>;
  listExecutions(q: ExecutionQuery): Promise<Page<ExecutionSummary>>;
  /** One execution as its queue sees it (lane, position, halting its line or not), for retry and skip offline. */
  getQueueEntry(id: string): Promise<QueueEntry | null>;
  /** The execution that took this idempotency key since `sinceMs`, with the answer it gave if one was kept. */
  findByIdempotencyKey(flowId: string, nodeId: string, key: string, sinceMs: number): Promise<{ id: string; reply?: StoredReply } | undefined>;
  /** At start-up: marks executions found running as interrupted and returns them with every queued one, in lane order. */
  recover(): Promise<{ queued: PendingExecution[]; interrupted: PendingExecution[]; blocked: PendingExecution[] }>;
  countRejection(flowId: string, nodeId: string): void;
  rejections(flowId: string, nodeId: string): Promise<number>;
  touchApiKey(flowId: string, nodeId: string, keyId: string, at: number): void;
  apiKeyLastUsed(flowId: string, nodeId: string): Promise<Record<string, number>>;
  applyRetention(flowId: string, maxCount: number, maxAgeDays: number, now?: number): Promise<number>;
  /** Proves the database is writable (a tiny write in its own transaction); throws if not. */
  ping(): Promise<void>;
  /** Commits every pending write now; resolves once they are committed. */
  flush(): Promise<void>;
  close(): Promise<void>;
}
