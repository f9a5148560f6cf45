/**
 * The typed run-event union. The studio, the logs and the execution store all consume these same events.
 */
export type ExecutionStatus = 'queued' | 'running' | 'succeeded' | 'failed' | 'timed-out' | 'interrupted' | 'parked';

export interface StepRecord {
  executionId: string;
  index: number;
  nodeId: string;
  nodeType: string;
  status: 'succeeded' | 'failed' | 'skipped';
  /** Port the output went to (`out`, `error`, switch output ids). */
  port?: string;
  input?: unknown;
  output?: unknown;
  error?: { message: string; code?: string; details?: unknown };
  startedAt: string;
  durationMs: number;
  /** Outbound HTTP attempts made by this step, secrets masked. */
  attempts?: unknown[];
}

/** What a list of runs shows besides the status, sent with the first events so it needs no second query. */
export interface RunLinks {
  businessKey?: string;
  /** The execution this one retries (a manual Retry, or an interrupted run started again). */
  retryOf?: string;
}

export type RunEvent =
  | ({ type: 'execution.queued'; executionId: string; flowId: string; nodeId: string; at: string } & RunLinks)
  | ({ type: 'execution.started'; executionId: string; flowId: string; at: string } & RunLinks)
  | { type: 'step.finished'; executionId: string; flowId: string; step: StepRecord }
  | {
      type: 'execution.finished';
      executionId: string;
      flowId: string;
      status: ExecutionStatus;
      at: string;
      durationMs: number;
      error?: { message: string; code?: string; nodeId?: string };
    }
  | {
      type: 'http.attempt';
      executionId: string;
      nodeId: string;
      attempt: number;
      method: string;
      url: string;
      status?: number;
      durationMs: number;
      error?: string;
    }
  | { type: 'retry.scheduled'; executionId: string; nodeId: string; attempt: number; delayMs: number; reason: string }
  | { type: 'auth.rejected'; flowId: string; nodeId: string; reason: string; at: string }
  | { type: 'flow.deployed'; flowId: string; revision: number; at: string }
  | { type: 'flow.undeployed'; flowId: string; at: string }
  | { type: 'lane.blocked'; flowId: string; nodeId: string; partition: string; executionId: string; at: string }
  | { type: 'warning'; code: string; message: string; flowId?: string; nodeId?: string; executionId?: string };

export type RunEventType = RunEvent['type'];
