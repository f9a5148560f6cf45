import type { AgentSpec } from './agents';
import type { HttpErrorCode } from './errors';
import type { Timings } from './hop';
import type { CertificateInfo } from './tls';

/**
 * What crosses between the main thread and the outbound thread (hop-thread.ts, hop-worker.ts): each side gathers
 * what it has for the other during a turn of its event loop and posts it as one flat array of primitives. One
 * message per turn instead of one per hop wakes the other thread and runs its message event once, and a flat
 * array is about half as costly to clone as objects with named keys (see Batch in store/sqlite-writer.ts).
 */

/** One hop to send. `spec` comes with the first hop of an agent; later hops name the agent by key. */
export interface HopCall {
  id: number;
  agentKey: string;
  spec?: AgentSpec;
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string | Buffer;
  deadline: number;
  totalMs: number;
  connectMs: number;
  timeoutMessage?: string;
  maxResponseBytes: number;
  capturePeerCertificate?: boolean;
  /** The caller may cancel it (a `cancel` control message follows then). */
  cancellable: boolean;
}

export type HopReply =
  | { id: number; status: number; statusText: string; headers: Record<string, string>; body: Uint8Array; timings: Timings; peerCertificate?: CertificateInfo }
  | { id: number; error: { message: string; code: HttpErrorCode; status?: number }; timings?: Timings };

/** Messages other than hops and replies: rare, sent at once. */
export type Control = { op: 'cancel'; id: number } | { op: 'destroy'; id: number; poolId?: string } | { op: 'destroyed'; id: number } | { op: 'ready' };

const CALL_FIELDS = 13;

/** Appends a call to a flat batch: 13 values, then the header names and values. */
export function packCall(out: unknown[], c: HopCall): void {
  out.push(c.id, c.agentKey, c.spec, c.method, c.url, c.body, c.deadline, c.totalMs, c.connectMs, c.timeoutMessage, c.maxResponseBytes, (c.capturePeerCertificate ? 1 : 0) | (c.cancellable ? 2 : 0));
  pushHeaders(out, c.headers);
}

/** Appends how many headers there are, then each name and value. */
function pushHeaders(out: unknown[], h: Record<string, string> | undefined): void {
  const at = out.push(0) - 1;
  let n = 0;
  for (const k in h) {
    out.push(k, h[k]);
    n++;
  }
  out[at] = n;
}

export function unpackCalls(batch: unknown[], each: (c: HopCall) => void): void {
  let i = 0;
  while (i < batch.length) {
    const flags = batch[i + 11] as number;
    const n = batch[i + 12] as number;
    const headers: Record<string, string> = {};
    for (let j = 0, p = i + CALL_FIELDS; j < n; j++, p += 2) headers[batch[p] as string] = batch[p + 1] as string;
    each({
      id: batch[i] as number,
      agentKey: batch[i + 1] as string,
      spec: batch[i + 2] as AgentSpec | undefined,
      method: batch[i + 3] as string,
      url: batch[i + 4] as string,
      body: batch[i + 5] as string | Buffer | undefined,
      deadline: batch[i + 6] as number,
      totalMs: batch[i + 7] as number,
      connectMs: batch[i + 8] as number,
      timeoutMessage: batch[i + 9] as string | undefined,
      maxResponseBytes: batch[i + 10] as number,
      capturePeerCertificate: (flags & 1) !== 0,
      cancellable: (flags & 2) !== 0,
      headers,
    });
    i += CALL_FIELDS + 2 * n;
  }
}

const REPLY_FIELDS = 12;

/**
 * Appends a reply: id, status (0 for an error), status text or error message, body or error code, error status,
 * peer certificate, the six timings, then the header count, names and values.
 */
export function packReply(out: unknown[], r: HopReply): void {
  const t = r.timings;
  if ('error' in r) out.push(r.id, 0, r.error.message, r.error.code, r.error.status, undefined);
  else out.push(r.id, r.status, r.statusText, r.body, undefined, r.peerCertificate);
  if (t) out.push(t.totalMs, t.reusedSocket ? 1 : 0, t.dnsMs, t.connectMs, t.tlsMs, t.firstByteMs);
  else out.push(undefined, undefined, undefined, undefined, undefined, undefined);
  pushHeaders(out, 'error' in r ? undefined : r.headers);
}

export function unpackReplies(batch: unknown[], each: (r: HopReply) => void): void {
  let i = 0;
  while (i < batch.length) {
    const total = batch[i + 6] as number | undefined;
    let timings: Timings | undefined;
    if (total !== undefined) {
      timings = { totalMs: total, reusedSocket: batch[i + 7] === 1 };
      if (batch[i + 8] !== undefined) timings.dnsMs = batch[i + 8] as number;
      if (batch[i + 9] !== undefined) timings.connectMs = batch[i + 9] as number;
      if (batch[i + 10] !== undefined) timings.tlsMs = batch[i + 10] as number;
      if (batch[i + 11] !== undefined) timings.firstByteMs = batch[i + 11] as number;
    }
    const n = batch[i + REPLY_FIELDS] as number;
    const id = batch[i] as number;
    const status = batch[i + 1] as number;
    if (status === 0) {
      const code = batch[i + 3] as HttpErrorCode;
      const errStatus = batch[i + 4] as number | undefined;
      each({ id, error: { message: batch[i + 2] as string, code, ...(errStatus !== undefined ? { status: errStatus } : {}) }, timings });
    } else {
      const headers: Record<string, string> = {};
      for (let j = 0, p = i + REPLY_FIELDS + 1; j < n; j++, p += 2) headers[batch[p] as string] = batch[p + 1] as string;
      const peer = batch[i + 5] as CertificateInfo | undefined;
      each({ id, status, statusText: batch[i + 2] as string, body: batch[i + 3] as Uint8Array, timings: timings!, headers, ...(peer ? { peerCertificate: peer } : {}) });
    }
    i += REPLY_FIELDS + 1 + 2 * n;
  }
}
