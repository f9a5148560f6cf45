import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { AgentSpec } from './agents';
import { atEndOfTurn } from './end-of-turn';
import { HttpError } from './errors';
import type { HopOptions, HopRequest, HopResult, HopSignal, Timings } from './hop';
import { packCall, unpackReplies, type Control, type HopReply } from './hop-wire';

/**
 * The outbound thread: a worker that moves the bytes of outbound requests (axios, node:http, TLS, keep-alive
 * sockets: hop.ts, unchanged) so that the main thread's event loop, which takes the webhooks in, runs the flows and
 * answers them, spends nothing on that. Retries, redirects, headers, credentials and masking stay on the main
 * thread (client.ts); each hop crosses once each way, gathered per turn (hop-wire.ts). A hop with a custom DNS
 * lookup (a function, which cannot cross threads) runs on the main thread, as does every hop when the worker's
 * script is missing or HOOKLINE_OUTBOUND_THREAD=0.
 */

/** Set by the Node bundles (bin/node-bundle.mjs, scripts/start.mjs) to the worker script built beside them. */
declare const __HOOKLINE_HOP_WORKER__: string | undefined;

/** The worker's script: built beside a bundle, or the TypeScript source's loader (hop-worker-tsx.mjs) under tsx. */
export function hopWorkerScript(): string | undefined {
  if (typeof __HOOKLINE_HOP_WORKER__ === 'string') return fileURLToPath(__HOOKLINE_HOP_WORKER__);
  return import.meta.url.endsWith('.ts') ? fileURLToPath(new URL('./hop-worker-tsx.mjs', import.meta.url)) : undefined;
}

interface Pending {
  resolve(r: HopResult): void;
  reject(e: unknown): void;
  signal?: HopSignal;
  onAbort?: () => void;
}

let worker: Worker | undefined;
/** Why hops run on this thread instead, once decided. */
let unavailable: string | undefined;
const pending = new Map<number, Pending>();
const destroying = new Map<number, () => void>();
const knownSpecs = new Set<string>();
let calls: unknown[] = [];
let nextId = 1;
/** Whether the current worker has answered anything yet: one that dies before that never started. */
let answered = false;

/** A hop the outbound thread never took because it could not start: client.ts sends it on the main thread instead. */
export class ThreadStartError extends HttpError {}

/** For a hop's `.catch`: undefined for a ThreadStartError (the caller then sends the hop itself), else the error again. */
export function unlessThreadStart(e: unknown): undefined {
  if (e instanceof ThreadStartError) return undefined;
  throw e;
}

/** Whether hops go to the outbound thread, its thread id once started, and why not when they do not. */
export function outboundThreadStatus(): { enabled: boolean; threadId?: number; reason?: string } {
  const enabled = outboundThreadEnabled();
  return { enabled, ...(worker ? { threadId: worker.threadId } : {}), ...(unavailable ? { reason: unavailable } : {}) };
}

/** Whether hops go to the outbound thread. */
export function outboundThreadEnabled(): boolean {
  if (worker) return true;
  if (unavailable !== undefined) return false;
  if (process.env.HOOKLINE_OUTBOUND_THREAD === '0') unavailable = 'turned off (HOOKLINE_OUTBOUND_THREAD=0)';
  else {
    const script = hopWorkerScript();
    if (!script || !fs.existsSync(script)) unavailable = `no outbound thread script${script ? ` at ${script}` : ''}`;
  }
  return unavailable === undefined;
}

function start(): Worker {
  const w = new Worker(hopWorkerScript()!, { name: 'hookline-outbound' });
  answered = false;
  w.unref();
  w.on('message', onMessage);
  const fail = (why: string) => {
    if (worker !== w) return;
    worker = undefined;
    knownSpecs.clear();
    calls = [];
    // A script that cannot load (a broken or partial install) would fail every hop: from now on they run here.
    const neverStarted = !answered;
    if (neverStarted) unavailable = `the outbound thread did not start (${why}); outbound requests run on the main thread`;
    for (const [id, p] of pending) {
      pending.delete(id);
      p.reject(neverStarted ? new ThreadStartError(unavailable!, 'network') : new HttpError(`outbound thread stopped: ${why}`, 'network'));
    }
    for (const [, done] of destroying) done();
    destroying.clear();
  };
  w.on('error', (e) => fail(e.message));
  w.on('exit', (code) => fail(`exit code ${code}`));
  return w;
}

/** The thread keeps the process alive only while it has work it will answer (a hop, or closing sockets). */
function holdProcess(): void {
  if (!worker) return;
  if (pending.size || destroying.size) worker.ref();
  else worker.unref();
}

function onMessage(m: unknown[] | Control): void {
  answered = true;
  if (Array.isArray(m)) {
    unpackReplies(m, settle);
    if (pending.size === 0) holdProcess();
  } else if (m.op === 'destroyed') {
    const done = destroying.get(m.id);
    destroying.delete(m.id);
    holdProcess();
    done?.();
  }
}

function settle(r: HopReply): void {
  const p = pending.get(r.id);
  if (!p) return;
  pending.delete(r.id);
  if (p.onAbort) p.signal!.removeEventListener('abort', p.onAbort);
  if ('error' in r) {
    const e = new HttpError(r.error.message, r.error.code, undefined, r.error.status);
    (e as HttpError & { timings?: Timings }).timings = r.timings;
    p.reject(e);
    return;
  }
  const b = r.body;
  p.resolve({ status: r.status, statusText: r.statusText, headers: r.headers, buf: Buffer.from(b.buffer, b.byteOffset, b.byteLength), timings: r.timings, peerCertificate: r.peerCertificate });
}

function flushCalls(): void {
  const batch = calls;
  calls = [];
  worker?.postMessage(batch);
}

/** Sends one hop on the outbound thread; resolves and rejects as sendHop does. */
export function sendHopOnThread(req: HopRequest, agentKey: string, spec: AgentSpec, o: Omit<HopOptions, 'agent' | 'lookup'>): Promise<HopResult> {
  const w = (worker ??= start());
  const id = nextId++;
  const fresh = !knownSpecs.has(agentKey);
  if (fresh) knownSpecs.add(agentKey);
  return new Promise<HopResult>((resolve, reject) => {
    const p: Pending = { resolve, reject };
    const signal = o.signal;
    pending.set(id, p);
    if (pending.size === 1) holdProcess();
    if (calls.length === 0) atEndOfTurn(flushCalls, undefined, undefined);
    packCall(calls, {
      id,
      agentKey,
      spec: fresh ? spec : undefined,
      method: req.method,
      url: req.url.href,
      headers: req.headers,
      body: req.body,
      deadline: o.deadline,
      totalMs: o.totalMs,
      connectMs: o.connectMs,
      timeoutMessage: o.timeoutMessage,
      maxResponseBytes: o.maxResponseBytes,
      capturePeerCertificate: o.capturePeerCertificate,
      cancellable: signal !== undefined,
    });
    if (signal) {
      p.signal = signal;
      // The cancel goes after the batch holding the hop (the same turn's flush, or one already posted).
      p.onAbort = () => atEndOfTurn(postControl, w, { op: 'cancel', id } satisfies Control);
      if (signal.aborted) p.onAbort();
      else signal.addEventListener('abort', p.onAbort, { once: true });
    }
  });
}

function postControl(w: Worker, c: Control): void {
  w.postMessage(c);
}

/** Closes the outbound thread's pooled sockets (of one pool, or all); resolves once they are closed. */
export function destroyThreadAgents(poolId?: string): Promise<void> {
  const w = worker;
  if (!w) return Promise.resolve();
  for (const key of knownSpecs) if (poolId === undefined || key.startsWith(`${poolId}|`)) knownSpecs.delete(key);
  const id = nextId++;
  return new Promise((resolve) => {
    destroying.set(id, resolve);
    holdProcess();
    atEndOfTurn(postControl, w, { op: 'destroy', id, poolId } satisfies Control);
  });
}

/** Stops the outbound thread (hops still on it fail with `network`); the next hop starts a new one. */
export async function stopOutboundThread(): Promise<void> {
  const w = worker;
  if (w) await w.terminate();
}
