import { parentPort } from 'node:worker_threads';
import { agentFor, destroyAgents, type AgentSpec } from './agents';
import { BoundedMap } from '../model/bounded-map';
import { atEndOfTurn } from './end-of-turn';
import { HttpError } from './errors';
import { sendHop, type HopSignal, type Timings } from './hop';
import { packReply, unpackCalls, type Control, type HopCall, type HopReply } from './hop-wire';

/**
 * The outbound thread (see hop-thread.ts): sends each hop it is given with the same sendHop and keep-alive agents
 * the main thread would use, and answers with the response or the error, gathered per turn (hop-wire.ts).
 */
const port = parentPort!;
const specs = new Map<string, AgentSpec>();
const running = new Map<number, Cancel>();
const urls = new BoundedMap<string, URL>(500);
let replies: unknown[] = [];
/** Response bodies that own their whole memory go across moved, not copied (a large body is one allocation of its own). */
let transfer: ArrayBuffer[] = [];

/**
 * A cancellable hop's signal: what sendHop reads of an AbortSignal, without an AbortController and EventTarget per
 * hop (they were ~5 % of this thread's time).
 */
class Cancel implements HopSignal {
  aborted = false;
  private listener?: () => void;
  addEventListener(_type: 'abort', listener: () => void) {
    this.listener = listener;
  }
  removeEventListener() {
    this.listener = undefined;
  }
  abort() {
    if (this.aborted) return;
    this.aborted = true;
    const l = this.listener;
    this.listener = undefined;
    l?.();
  }
}

port.on('message', (m: unknown[] | Control) => {
  if (Array.isArray(m)) return unpackCalls(m, hop);
  if (m.op === 'cancel') running.get(m.id)?.abort();
  else if (m.op === 'destroy') void destroyAgents(m.poolId).then(() => port.postMessage({ op: 'destroyed', id: m.id } satisfies Control));
});

// Loaded and listening: the main thread counts a worker that dies before this as one that never started.
port.postMessage({ op: 'ready' } satisfies Control);

function hop(c: HopCall): void {
  if (c.spec) specs.set(c.agentKey, c.spec);
  const spec = specs.get(c.agentKey)!;
  let url = urls.get(c.url);
  if (url === undefined) urls.set(c.url, (url = new URL(c.url)));
  const cancel = c.cancellable ? new Cancel() : undefined;
  if (cancel) running.set(c.id, cancel);
  sendHop(
    { method: c.method, url, headers: c.headers, body: c.body },
    {
      agent: agentFor({ url, poolId: spec.poolId, tls: spec.tls, proxyUrl: spec.proxyUrl }),
      deadline: c.deadline,
      totalMs: c.totalMs,
      connectMs: c.connectMs,
      timeoutMessage: c.timeoutMessage,
      maxResponseBytes: c.maxResponseBytes,
      capturePeerCertificate: c.capturePeerCertificate,
      signal: cancel,
    },
  ).then(
    (r) => reply(c, { id: c.id, status: r.status, statusText: r.statusText, headers: r.headers, body: r.buf, timings: r.timings, peerCertificate: r.peerCertificate }),
    (e) => {
      const err = e instanceof HttpError ? e : new HttpError(String((e as Error)?.message ?? e), 'network');
      reply(c, { id: c.id, error: { message: err.message, code: err.code, status: err.status }, timings: (err as HttpError & { timings?: Timings }).timings });
    },
  );
}

function reply(c: HopCall, r: HopReply): void {
  if (c.cancellable) running.delete(c.id);
  if (replies.length === 0) atEndOfTurn(flush, undefined, undefined);
  packReply(replies, r);
  // Small bodies share a pooled slab with other buffers: those are copied (moving one would take the slab away).
  if ('body' in r && r.body.byteLength >= TRANSFER_FROM && r.body.byteOffset === 0 && r.body.byteLength === r.body.buffer.byteLength) transfer.push(r.body.buffer as ArrayBuffer);
}

const TRANSFER_FROM = 64 * 1024;

function flush(): void {
  const batch = replies;
  const moved = transfer;
  replies = [];
  transfer = [];
  port.postMessage(batch, moved);
}
