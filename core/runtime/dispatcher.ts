import { uuidv7 } from './ids';
import { isoAt } from '../model/iso-time';
import { setMaxListeners } from 'node:events';
import type { ServerResponse } from 'node:http';
import type { Message } from '../model/message';
import type { ConnectionLookup, Logger } from '../nodes/runner-types';
import type { SecretStore } from '../secrets/secret-store';
import type { SubscriptionLookup } from '../model/subscription';
import type { ExecutionStore, PendingExecution } from '../store/types';
import type { EventBus } from './event-bus';
import type { RunLinks } from './events';
import { executeFlow, type ExecutionOutcome } from './executor';
import { masked, recordMasker } from './record-mask';
import { originOf } from './retry-chain';
import { sendJson, sendReply, type WebhookTarget } from './ingest';
import type { Deployment } from './runtime';
import { TriggerQueue, type Job, type QueuePolicy } from './trigger-queue';
import { REPLAYED_HEADER, ReplyCache, failureBody, type ReplyEntry, type StoredReply } from './replies';

interface Deps {
  store: ExecutionStore;
  bus: EventBus;
  logger: Logger;
  env: Record<string, string>;
  secrets: SecretStore;
  connections: ConnectionLookup;
  subscriptions?: SubscriptionLookup;
  queues: Map<string, TriggerQueue>;
  deployments: Map<string, Deployment>;
}

/** Retention runs after this many finished executions of a flow, or this long after its last run. */
const RETENTION_EVERY = 5000;
const RETENTION_INTERVAL_MS = 60_000;

/**
 * Turns accepted messages into executions: durable acceptance (commit before acknowledge), deduplication,
 * request-response waiting with timeout, ordered lanes and throttling (via TriggerQueue), retry and skip.
 */
export class Dispatcher {
  private readonly targets = new Map<string, { target: WebhookTarget; deployment: Deployment }>();
  /** Idempotency keys accepted but not yet committed, so concurrent duplicates are caught too. */
  private readonly pendingKeys = new Map<string, string>();
  private readonly abort = new AbortController();
  private readonly retention = new Map<string, { count: number; lastAt: number }>();
  /** Answers of request-response runs with an idempotency key, replayed to duplicates (see replies.ts). */
  private readonly replies = new ReplyCache();
  /** Executions running now, by id: what a stop that runs out of grace cuts off. */
  private readonly running = new Map<string, { key: string; job: Job }>();
  /** Executions a stop cut off, recorded as interrupted (see cutOff); named in one log line at the end of drain. */
  private readonly interrupted: CutOff[] = [];
  /** A stop began: requests still being read are refused (503), not accepted. */
  private stopping = false;

  constructor(private readonly d: Deps) {
    // Every running execution (and each outbound request in it) listens to this one signal.
    setMaxListeners(0, this.abort.signal);
  }

  ensureQueue(t: WebhookTarget, deployment: Deployment, recovered: PendingExecution[]): void {
    const key = `${t.flowId}/${t.nodeId}`;
    this.targets.set(key, { target: t, deployment });
    const s = t.settings;
    const policy: QueuePolicy = { ordered: s.ordered, limit: s.ordered ? s.maxParallelPartitions : s.maxConcurrency, onFailure: s.onFailure };
    const exec = (job: Job, ordered: boolean) => this.run(key, job, ordered);
    let q = this.d.queues.get(key);
    if (q) q.reconfigure(policy, exec);
    else {
      q = new TriggerQueue(key, policy, exec, (job, partition) => {
        for (const waiting of this.d.queues.get(key)?.waitingIn(partition) ?? []) this.answerHalted(key, waiting, job);
        this.d.bus.emit({ type: 'lane.blocked', flowId: t.flowId, nodeId: t.nodeId, partition, executionId: job.id, at: new Date().toISOString() });
      });
      this.d.queues.set(key, q);
    }
    for (const p of [...recovered].sort((a, b) => a.orderSeq - b.orderSeq)) {
      const partition = p.lane ? p.lane.slice(key.length + 1) : undefined;
      const base: Job = { id: p.id, message: p.input, queuedAt: p.queuedAt, partition, orderSeq: p.orderSeq, businessKey: p.businessKey };
      if (p.blocking) q.block(base);
      else if (p.status === 'interrupted') {
        // At-least-once for acknowledged messages: the interrupted one runs again, in its original place.
        const job: Job = { ...base, id: uuidv7(), retryOf: p.id, queuedAt: Date.now() };
        job.committed = this.d.store.accept(this.record(t, deployment, job, p.lane));
        q.push(job);
      } else q.push({ ...base, committed: Promise.resolve() });
    }
  }

  /**
   * Takes an accepted message. A plain request-response run (no idempotency key, business key or durable queue)
   * starts without a promise of its own; the rest may wait for the store first.
   */
  accept(t: WebhookTarget, message: Message, res: ServerResponse, keys: { partition?: string; idempotency?: string }): Promise<void> | void {
    if (this.stopping) return refuseStopping(res);
    const s = t.settings;
    if (keys.idempotency !== undefined || s.responseMode !== 'requestResponse' || s.ordered) return this.acceptAsync(t, message, res, keys);
    const key = `${t.flowId}/${t.nodeId}`;
    const entry = this.targets.get(key)!;
    if (entry.deployment.compiled.businessKey) return this.acceptAsync(t, message, res, keys);
    const id = uuidv7();
    const job: Job = { id, message, queuedAt: Date.now(), waiter: this.waiter(res, id, s.timeoutMs, s.timeoutStatus, s.timeoutMessage) };
    this.d.queues.get(key)!.push(job);
  }

  private async acceptAsync(t: WebhookTarget, message: Message, res: ServerResponse, keys: { partition?: string; idempotency?: string }): Promise<void> {
    const key = `${t.flowId}/${t.nodeId}`;
    const entry = this.targets.get(key)!;
    const q = this.d.queues.get(key)!;
    const s = t.settings;
    const now = Date.now();
    let idemKey: string | undefined;
    if (keys.idempotency !== undefined) {
      idemKey = `${key}\u0000${keys.idempotency}`;
      const known = s.responseMode === 'requestResponse' ? this.replies.lookup(idemKey, s.idempotencyWindowSec * 1000, now) : undefined;
      if (known) return this.replay(known, res, t);
      const pending = this.pendingKeys.get(idemKey);
      const dupe = pending ? { id: pending } : await this.d.store.findByIdempotencyKey(t.flowId, t.nodeId, keys.idempotency, now - s.idempotencyWindowSec * 1000);
      // Answered before this process started (or longer ago than the cache reaches): the stored answer, replayed.
      if (dupe?.reply && s.responseMode === 'requestResponse') return sendReply(res, dupe.reply.status, { ...dupe.reply.headers, [REPLAYED_HEADER]: 'true' }, dupe.reply.body);
      if (dupe) return sendJson(res, s.responseMode === 'async' ? 202 : 200, { executionId: dupe.id, duplicate: true });
    }
    const cf = entry.deployment.compiled;
    const job: Job = { id: uuidv7(), message, queuedAt: now, partition: s.ordered ? (keys.partition ?? '') : undefined };
    if (cf.businessKey) {
      const bk = await cf.businessKey.evaluate(message);
      if (bk !== undefined && bk !== null) job.businessKey = typeof bk === 'string' ? bk : JSON.stringify(bk);
    }
    if (s.responseMode === 'requestResponse') {
      job.waiter = this.waiter(res, job.id, s.timeoutMs, s.timeoutStatus, s.timeoutMessage);
      if (idemKey) {
        job.replyKey = idemKey;
        this.replies.started(idemKey, job.id, now);
      }
    }
    // The stop began while this request was read or its keys looked up: refuse it rather than store a message whose
    // caller may never hear it was accepted (its connection is closed once the store is flushed).
    if (this.stopping) return refuseStopping(res);
    const durable = s.responseMode === 'async' || s.ordered;
    if (durable) {
      if (idemKey) this.pendingKeys.set(idemKey, job.id);
      const lane = s.ordered ? `${key}/${job.partition}` : undefined;
      const rec = this.record(t, entry.deployment, job, lane, keys.idempotency);
      job.committed = this.d.store.accept(rec).then((pos) => {
        job.orderSeq = pos;
        return pos;
      });
      q.push(job);
      try {
        await job.committed;
      } catch (err) {
        this.d.logger.error('could not record an accepted message', { error: String(err) });
        if (job.waiter) job.waiter.settled = true;
        return sendJson(res, 503, { error: 'store_unavailable', message: 'the message could not be stored; send it again' });
      } finally {
        if (idemKey) this.pendingKeys.delete(idemKey);
      }
      if (this.d.bus.active) this.d.bus.emit({ type: 'execution.queued', executionId: job.id, flowId: t.flowId, nodeId: t.nodeId, at: isoAt(now), ...links(job) });
      if (s.responseMode === 'async') sendJson(res, 202, { executionId: job.id });
      else if (s.ordered) {
        const halted = q.haltedBy(job.partition ?? '');
        if (halted) this.answerHalted(key, job, halted);
      }
    } else {
      if (idemKey) {
        // Request-response without a durable queue: the record is written when the job starts.
        this.pendingKeys.set(idemKey, job.id);
        (job as any).idempotencyKey = keys.idempotency;
      }
      q.push(job);
    }
  }

  /** Starts an execution for a non-webhook trigger (schedule, ...): durably queued, like an async webhook. */
  async fire(t: WebhookTarget, message: Message): Promise<{ executionId: string; done: Promise<{ status: string }> }> {
    const key = `${t.flowId}/${t.nodeId}`;
    const entry = this.targets.get(key);
    const q = this.d.queues.get(key);
    if (!entry || !q) throw new Error(`trigger ${key} is not deployed`);
    const job: Job = { id: uuidv7(), message, queuedAt: Date.now() };
    const done = new Promise<{ status: string }>((resolve) => (job.onDone = (o) => resolve({ status: o.status })));
    job.committed = this.d.store.accept(this.record(t, entry.deployment, job));
    q.push(job);
    await job.committed;
    if (this.d.bus.active) this.d.bus.emit({ type: 'execution.queued', executionId: job.id, flowId: t.flowId, nodeId: t.nodeId, at: isoAt(job.queuedAt) });
    return { executionId: job.id, done };
  }

  private record(t: WebhookTarget, d: Deployment, job: Job, lane?: string, idempotencyKey?: string) {
    return {
      id: job.id,
      flowId: t.flowId,
      flowRevision: d.compiled.flow.revision,
      triggerNodeId: t.nodeId,
      lane,
      orderSeq: job.orderSeq,
      status: 'queued' as const,
      queuedAt: job.queuedAt,
      businessKey: job.businessKey,
      idempotencyKey,
      retryOf: job.retryOf,
      diagnostics: d.compiled.flow.settings.diagnostics,
      input: job.message,
    };
  }

  /** A duplicate's answer: the original run's, now or once it answers (within this caller's timeout). */
  private replay(e: ReplyEntry, res: ServerResponse, t: WebhookTarget): void {
    const s = t.settings;
    const w = e.reply ? undefined : this.waiter(res, e.executionId, s.timeoutMs, s.timeoutStatus, s.timeoutMessage);
    this.replies.whenAnswered(e, (r) => {
      const headers = { ...r.headers, [REPLAYED_HEADER]: 'true' };
      if (w) w.reply(r.status, headers, r.body);
      else sendReply(res, r.status, headers, r.body);
    });
  }

  /**
   * A request-response caller whose message waits behind a halted ordered line is answered now, as its timeout
   * would answer it (the trigger's timeout status, with the execution id): the message is stored and runs, in
   * order, once the failed execution is retried or skipped, which is usually long after any caller's timeout.
   */
  private answerHalted(key: string, job: Job, halted: Job): void {
    const w = job.waiter;
    const s = this.targets.get(key)?.target.settings;
    if (!w || w.settled || !s) return;
    const line = job.partition ? `the ordered line "${job.partition}"` : 'the ordered line';
    const message = `${line} is halted on failed execution ${halted.id}: this message is stored and runs, in order, once that execution is retried or skipped`;
    w.timedOut = true;
    w.cause = { message, code: 'line_halted' };
    w.reply(s.timeoutStatus, {}, { error: 'line_halted', message, executionId: job.id, blockedBy: halted.id });
  }

  /** The timeout answer carries the execution id: the execution goes on, and the caller can ask about it later. */
  private waiter(res: ServerResponse, executionId: string, timeoutMs: number, status: number, message: string): NonNullable<Job['waiter']> {
    const w: NonNullable<Job['waiter']> = {
      settled: false,
      timedOut: false,
      reply(st, headers, body) {
        if (w.settled) return;
        w.settled = true;
        clearTimeout(timer);
        sendReply(res, st, headers, body);
      },
    };
    const timer = setTimeout(() => {
      if (w.settled) return;
      w.timedOut = true;
      w.reply(status, {}, { error: 'timeout', message, executionId });
    }, timeoutMs);
    return w;
  }

  private async run(key: string, job: Job, ordered: boolean): Promise<ExecutionOutcome> {
    const { target: t, deployment } = this.targets.get(key)!;
    const cf = deployment.compiled;
    const diagnostics = cf.flow.settings.diagnostics;
    const started = Date.now();
    if (!job.committed) {
      const idem = (job as any).idempotencyKey as string | undefined;
      this.d.store.record({ ...this.record(t, deployment, job, undefined, idem), status: 'running' });
      if (idem) setImmediate(() => this.pendingKeys.delete(`${key}\u0000${idem}`));
    } else this.d.store.markStarted(job.id, started);
    this.running.set(job.id, { key, job });
    const bus = this.d.bus;
    if (bus.active) bus.emit({ type: 'execution.started', executionId: job.id, flowId: t.flowId, at: isoAt(started), ...links(job) });
    const w = job.waiter;
    let answered = false;
    let reply: StoredReply | undefined;
    const answer = (status: number, headers: Record<string, string>, body: unknown) => {
      answered = true;
      if (job.replyKey) {
        reply = { status, headers, body };
        this.replies.answered(job.replyKey, job.id, reply);
      }
      w!.reply(status, headers, body);
    };
    const outcome = await executeFlow(cf, {
      executionId: job.id,
      triggerNodeId: t.nodeId,
      message: job.message,
      diagnostics,
      bus,
      store: this.d.store,
      env: this.d.env,
      secrets: this.d.secrets,
      connections: this.d.connections,
      subscriptions: this.d.subscriptions,
      logger: this.d.logger,
      signal: this.abort.signal,
      respond: w ? (r) => answer(r.status, r.headers, r.body) : undefined,
      origin: job.retryOf === undefined ? undefined : () => originOf(this.d.store, job.retryOf!),
    });
    // Not running any more; one that drain gave up waiting for was recorded as interrupted already.
    if (!this.running.delete(job.id)) return outcome;
    // The flow's own answer, kept for a duplicate that asks again also after this caller's timeout. A run cut off
    // by a stop tells its caller so (503), but that is no answer to replay.
    if (w && !answered) {
      const to = outcome.status === 'interrupted' ? w.reply : answer;
      if (outcome.status === 'succeeded') to(200, {}, outcome.output ?? null);
      else to(outcome.error?.httpStatus ?? 500, {}, failureBody(outcome.error, job.id, t.settings.errorReply));
    }
    let status = outcome.status;
    let blocking = false;
    if (status === 'failed' && ordered) {
      if (t.settings.onFailure === 'park') status = 'parked';
      else blocking = true;
    }
    if (w?.timedOut && status === 'succeeded') status = 'timed-out';
    if (status === 'interrupted') {
      this.cutOff(key, job, outcome);
      return outcome;
    }
    const finishedAt = Date.now();
    const error = outcome.error ? { message: outcome.error.message, code: outcome.error.code, nodeId: outcome.error.nodeId } : w?.timedOut ? (w.cause ?? { message: t.settings.timeoutMessage, code: 'reply_timeout' }) : undefined;
    // Secret $env values are masked in the record (see record-mask.ts); the caller's answer was sent as it was.
    const m = recordMasker(this.d.env);
    this.d.store.finish(job.id, { status, finishedAt, output: masked(m, outcome.output), error: masked(m, error), blocking, reply }, diagnostics);
    if (bus.active) bus.emit({ type: 'execution.finished', executionId: job.id, flowId: t.flowId, status, at: isoAt(finishedAt), durationMs: finishedAt - started, error });
    this.maybeRetain(cf.flow.id, cf.flow.settings.retention);
    return { ...outcome, status: blocking ? 'failed' : status };
  }

  private maybeRetain(flowId: string, r: { maxCount: number; maxAgeDays: number }) {
    const now = Date.now();
    let st = this.retention.get(flowId);
    if (!st) this.retention.set(flowId, (st = { count: 0, lastAt: now }));
    if (++st.count < RETENTION_EVERY && now - st.lastAt < RETENTION_INTERVAL_MS) return;
    st.count = 0;
    st.lastAt = now;
    setImmediate(() => void this.d.store.applyRetention(flowId, r.maxCount, r.maxAgeDays).catch((e) => this.d.logger.warn('retention failed', { error: String(e) })));
  }

  async retry(id: string): Promise<{ executionId: string }> {
    const found = await this.d.store.getInput(id);
    if (!found) throw new Error(`execution "${id}" was not found or has no recorded input to retry`);
    const { input, summary } = found;
    const key = `${summary.flowId}/${summary.triggerNodeId}`;
    const q = this.d.queues.get(key);
    const entry = this.targets.get(key);
    if (!q || !entry || !this.d.deployments.has(summary.flowId)) throw new Error(`flow "${summary.flowId}" is not deployed: deploy it to retry executions`);
    const head = q.blockedHead(id);
    const t = entry.target;
    let partition = head?.partition;
    if (!head && t.settings.ordered) {
      const tr = input.trigger;
      partition = t.partition ? String((await t.partition.evaluate({ body: tr.body, query: tr.query, headers: tr.headers, params: tr.params, method: tr.method, path: tr.path })) ?? '') : '';
    }
    const job: Job = { id: uuidv7(), message: input, queuedAt: Date.now(), partition, retryOf: id, orderSeq: head?.orderSeq, businessKey: summary.businessKey };
    job.committed = this.d.store.accept(this.record(t, entry.deployment, job, t.settings.ordered ? `${key}/${partition}` : undefined)).then((pos) => (job.orderSeq = pos));
    if (head) {
      this.d.store.setBlocking(id, false);
      q.release(id, job);
    } else q.push(job);
    await job.committed;
    return { executionId: job.id };
  }

  async skip(id: string): Promise<void> {
    for (const q of this.d.queues.values()) {
      if (q.blockedHead(id)) {
        this.d.store.setBlocking(id, false);
        q.release(id);
        return;
      }
    }
    throw new Error(`execution "${id}" is not holding up an ordered line`);
  }

  depths() {
    return [...this.d.queues.entries()].map(([key, q]) => {
      const [flowId, nodeId] = key.split('/');
      return { flowId, nodeId, depth: q.depth, active: q.active, blocked: q.blockedLanes().length };
    });
  }

  /** Stops starting queued work, waits for running executions up to `graceMs`, then aborts the rest. */
  async drain(graceMs: number): Promise<void> {
    this.stopping = true;
    for (const q of this.d.queues.values()) q.pause();
    const idle = Promise.all([...this.d.queues.values()].map((q) => q.whenIdle()));
    let timer: NodeJS.Timeout | undefined;
    const timedOut = await Promise.race([idle.then(() => false), new Promise<boolean>((r) => (timer = setTimeout(() => r(true), graceMs)))]);
    clearTimeout(timer);
    if (timedOut) {
      this.abort.abort();
      await Promise.race([idle, new Promise((r) => setTimeout(r, 1000))]);
      // Deaf to the abort (a node that ignores the signal): recorded as cut off too, before the store closes.
      for (const [id, r] of [...this.running]) {
        this.running.delete(id);
        this.cutOff(r.key, r.job, { status: 'interrupted' });
      }
    }
    await this.d.store.flush();
    if (this.interrupted.length) logCutOff(this.d.logger, this.interrupted.splice(0), graceMs);
  }

  /**
   * An execution a stop cut off is recorded as interrupted at once (not left `running` until the next start, which
   * the operator's `hookline executions` would show meanwhile). An acknowledged message (async, ordered, fired by a
   * schedule) is queued again as a new execution linked to it, in its place in its line, so the next start runs it
   * again (at-least-once); a request-response caller had its 503 and is not run again.
   */
  private cutOff(key: string, job: Job, outcome: ExecutionOutcome): void {
    const { target: t, deployment } = this.targets.get(key)!;
    const error = outcome.error ?? { message: 'the runtime stopped before the execution finished', code: 'interrupted' };
    this.d.store.finish(job.id, { status: 'interrupted', finishedAt: Date.now(), error: { message: error.message, code: error.code } }, deployment.compiled.flow.settings.diagnostics);
    let rerunAs: string | undefined;
    if (t.settings.responseMode === 'async' || t.settings.ordered) {
      const again: Job = { id: uuidv7(), message: job.message, queuedAt: Date.now(), partition: job.partition, orderSeq: job.orderSeq, businessKey: job.businessKey, retryOf: job.id };
      const lane = t.settings.ordered ? `${key}/${job.partition ?? ''}` : undefined;
      this.d.store.accept(this.record(t, deployment, again, lane)).catch((err) => this.d.logger.error('could not queue an interrupted execution again', { executionId: job.id, error: String(err) }));
      rerunAs = again.id;
    }
    this.interrupted.push({ executionId: job.id, flowId: t.flowId, ...(rerunAs ? { rerunAs } : {}) });
  }
}

/** The answer to a message that arrives while the runtime stops: not stored, so the caller must send it again. */
function refuseStopping(res: ServerResponse): void {
  sendJson(res, 503, { error: 'shutting_down', message: 'the server is stopping and did not accept the message; send it again' }, { 'retry-after': '5', connection: 'close' });
}

interface CutOff {
  executionId: string;
  flowId: string;
  /** The queued execution that runs the message again after the next start (acknowledged messages only). */
  rerunAs?: string;
}

/** One line for every execution a stop cut off (a stop may cut off hundreds: one line each would bury the rest). */
function logCutOff(logger: Logger, cut: CutOff[], graceMs: number): void {
  const names = cut.slice(0, 20).map((c) => `${c.executionId} (flow ${c.flowId})`);
  if (cut.length > names.length) names.push(`… ${cut.length - names.length} more (field "interrupted")`);
  logger.warn(`${cut.length} execution(s) still running after the ${graceMs} ms grace period were interrupted: ${names.join(', ')}; acknowledged ones run again after the next start`, {
    graceMs,
    interrupted: cut,
  });
}

/** The business key and retried run of a job, for run events (only the fields that are set). */
function links(job: Job): RunLinks {
  if (job.businessKey === undefined && job.retryOf === undefined) return {};
  return { ...(job.businessKey !== undefined ? { businessKey: job.businessKey } : {}), ...(job.retryOf !== undefined ? { retryOf: job.retryOf } : {}) };
}
