import type { Message } from '../model/message';
import type { ExecutionOutcome } from './executor';

export interface Job {
  id: string;
  message: Message;
  queuedAt: number;
  /** Ordered lane key within the trigger ('' when no partition key is set). */
  partition?: string;
  orderSeq?: number;
  /** Resolves once the message is durably recorded; a job never starts before. */
  committed?: Promise<unknown>;
  businessKey?: string;
  retryOf?: string;
  /** Called once the execution has finished (or could not run). */
  onDone?: (outcome: ExecutionOutcome) => void;
  /** Request-response with an idempotency key: the answer is kept under this key for duplicates (replies.ts). */
  replyKey?: string;
  /** For request-response callers: the answer is written through this. */
  waiter?: {
    reply: (status: number, headers: Record<string, string>, body: unknown) => void;
    settled: boolean;
    /** Answered without the flow's answer (its timeout, or a halted line), so the execution records why. */
    timedOut: boolean;
    cause?: { message: string; code: string };
  };
}

interface Lane {
  key: string;
  items: Job[];
  busy: boolean;
  blocked?: Job;
}

export interface QueuePolicy {
  ordered: boolean;
  /** Unordered: executions at once. Ordered: partitions (lanes) at once. */
  limit: number;
  onFailure: 'halt' | 'park';
}

/**
 * Schedules one trigger's messages. Unordered: up to `limit` at once, the rest wait in arrival order.
 * Ordered: one at a time per partition, in acceptance order, partitions in parallel up to `limit`; a
 * failed head halts its lane (until retried or skipped) or is parked, per policy. The queue outlives
 * deployments: a redeploy swaps only the function that runs the jobs.
 */
export class TriggerQueue {
  private lanes = new Map<string, Lane>();
  private ready: Lane[] = [];
  private pending: Job[] = [];
  private running = 0;
  private paused = false;
  private idle: Array<() => void> = [];

  constructor(
    public readonly key: string,
    public policy: QueuePolicy,
    private exec: (job: Job, ordered: boolean) => Promise<ExecutionOutcome>,
    private onBlocked?: (job: Job, partition: string) => void,
  ) {}

  /** Swaps the runner and policy (redeploy); queued jobs run with the new ones. */
  reconfigure(policy: QueuePolicy, exec: (job: Job, ordered: boolean) => Promise<ExecutionOutcome>) {
    this.policy = policy;
    this.exec = exec;
    this.pump();
  }

  get depth(): number {
    let n = this.pending.length;
    for (const l of this.lanes.values()) n += l.items.length + (l.blocked ? 1 : 0);
    return n;
  }

  get active(): number {
    return this.running;
  }

  push(job: Job, front = false): void {
    if (!this.policy.ordered) {
      if (front) this.pending.unshift(job);
      else this.pending.push(job);
    } else {
      const lane = this.lane(job.partition ?? '');
      if (front) lane.items.unshift(job);
      else lane.items.push(job);
      this.markReady(lane);
    }
    this.pump();
  }

  /** Restores a lane that was halted before a restart. */
  block(job: Job): void {
    const lane = this.lane(job.partition ?? '');
    lane.blocked = job;
    this.ready = this.ready.filter((l) => l !== lane);
  }

  /** The halted head of a lane with this execution id, if any. */
  blockedHead(executionId: string): Job | undefined {
    for (const l of this.lanes.values()) if (l.blocked?.id === executionId) return l.blocked;
    return undefined;
  }

  /** The failed execution a lane is halted on, if it is halted. */
  haltedBy(partition: string): Job | undefined {
    return this.lanes.get(partition)?.blocked;
  }

  /** The jobs waiting in a lane (not the one running, not the halted head). */
  waitingIn(partition: string): readonly Job[] {
    return this.lanes.get(partition)?.items ?? [];
  }

  blockedLanes(): Array<{ partition: string; executionId: string }> {
    return [...this.lanes.values()].filter((l) => l.blocked).map((l) => ({ partition: l.key, executionId: l.blocked!.id }));
  }

  /** Unblocks the lane halted on `executionId`; `replacement` (a retry) runs first. */
  release(executionId: string, replacement?: Job): boolean {
    for (const lane of this.lanes.values()) {
      if (lane.blocked?.id !== executionId) continue;
      lane.blocked = undefined;
      if (replacement) lane.items.unshift(replacement);
      this.markReady(lane);
      this.pump();
      return true;
    }
    return false;
  }

  pause(): void {
    this.paused = true;
  }

  resume(): void {
    this.paused = false;
    this.pump();
  }

  /** Resolves when nothing is running. */
  whenIdle(): Promise<void> {
    if (this.running === 0) return Promise.resolve();
    return new Promise((r) => this.idle.push(r));
  }

  private lane(key: string): Lane {
    let lane = this.lanes.get(key);
    if (!lane) {
      lane = { key, items: [], busy: false };
      this.lanes.set(key, lane);
    }
    return lane;
  }

  private markReady(lane: Lane) {
    if (!lane.busy && !lane.blocked && lane.items.length && !this.ready.includes(lane)) this.ready.push(lane);
  }

  private pump(): void {
    while (!this.paused && this.running < this.policy.limit) {
      if (this.policy.ordered) {
        const lane = this.ready.shift();
        if (!lane) break;
        const job = lane.items.shift()!;
        lane.busy = true;
        this.running++;
        void this.start(job, lane);
      } else {
        const job = this.pending.shift();
        if (!job) break;
        this.running++;
        void this.start(job);
      }
    }
  }

  private async start(job: Job, lane?: Lane): Promise<void> {
    let outcome: ExecutionOutcome | undefined;
    try {
      if (job.committed) await job.committed;
      outcome = await this.exec(job, !!lane);
    } catch {
      // Not committed (the caller was told it failed) or the runner itself broke: the job ends here.
    }
    job.onDone?.(outcome ?? { status: 'failed', error: { message: 'the execution could not run', code: 'not_run' } });
    this.running--;
    if (lane) {
      lane.busy = false;
      if (outcome?.status === 'failed' && this.policy.onFailure === 'halt') {
        lane.blocked = job;
        this.onBlocked?.(job, lane.key);
      } else if (lane.items.length) this.markReady(lane);
      else if (!lane.blocked) this.lanes.delete(lane.key);
    }
    if (this.running === 0) for (const r of this.idle.splice(0)) r();
    this.pump();
  }
}
