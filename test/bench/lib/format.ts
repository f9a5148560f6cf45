import type { LoadResult } from './load';

export const int = (n: number) => (Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : 'n/a');
export const ms = (n: number) => (Number.isFinite(n) ? `${n < 10 ? n.toFixed(2) : n.toFixed(1)} ms` : 'n/a');
export const ratio = (n: number | undefined) => (n === undefined || !Number.isFinite(n) ? '' : `${n.toFixed(2)}x`);

/** `12,345 req/s  p50 1.20 ms  p99 4.10 ms` plus errors when there were any. */
export function loadSummary(r: LoadResult, unit = 'req/s'): string {
  const errs = r.errors ? `  (${int(r.errors)} errors: ${r.firstError})` : '';
  const per = unit.split('/')[0];
  // The main thread's CPU per request times the requests per second: how busy the one event loop was in its slices.
  const main = Number.isFinite(r.mainCpuPerReq) ? ` (main thread ${int(r.mainCpuPerReq)} us, ${Math.round(mainBusy(r) * 100)}% busy)` : '';
  const cpu = Number.isFinite(r.serverCpuPerReq) ? `  server ${int(r.serverCpuPerReq)} us CPU/${per}${main}` : '';
  return `${int(r.rps)} ${unit}  p50 ${ms(r.p50)}  p99 ${ms(r.p99)}${cpu}  client ${Math.round(r.clientCpu * 100)}% CPU  warm-up ${r.warmupS} s${errs}`;
}

/** Raw numbers of a load run for bench.json. */
export function loadValues(r: LoadResult): Record<string, number> {
  return {
    rps: round(r.rps),
    p50Ms: round(r.p50),
    p99Ms: round(r.p99),
    maxMs: round(r.max),
    ok: r.ok,
    okTotal: r.okTotal,
    errors: r.errors,
    seconds: round(r.elapsedS),
    serverCpuMicrosPerRequest: round(r.serverCpuPerReq),
    mainThreadCpuMicrosPerRequest: round(r.mainCpuPerReq),
    mainThreadBusyShare: round(mainBusy(r)),
    clientCpuShare: round(r.clientCpu),
    warmupSeconds: r.warmupS,
  };
}

/** Share of a core the server's main thread was busy in its slices: its CPU per request times requests per second. */
const mainBusy = (r: LoadResult) => (r.mainCpuPerReq * r.rps) / 1e6;

const round = (n: number) => (Number.isFinite(n) ? Math.round(n * 100) / 100 : -1);

/** What servers/commit-timer.mjs counts in a Hookline child (all threads). */
export interface CommitStats {
  count: number;
  ms: number;
  maxMs: number;
  /** CPU inside main-thread commits (they block the event loop); writer-thread commits are not in it. */
  cpuMs: number;
  /** Of `count` / `ms`, the part committed on writer threads (off the event loop). */
  workerCount: number;
  workerMs: number;
}

/** Commit count, size and cost per request answered (warm-up included); writer-thread commits do not block the event loop. */
export function commitSummary(c: CommitStats, answered: number, unit = 'req'): string {
  const per = c.count ? (answered / c.count).toFixed(1) : 'n/a';
  const mainCount = c.count - c.workerCount;
  const mainMs = c.ms - c.workerMs;
  const where = c.workerCount
    ? `writer thread busy in commits ${(c.workerMs / 1000).toFixed(2)} s` + (mainCount ? `; ${int(mainCount)} on the main thread blocked it ${(mainMs / 1000).toFixed(2)} s` : '')
    : `event loop blocked ${(mainMs / 1000).toFixed(2)} s, of it CPU ${(c.cpuMs / 1000).toFixed(2)} s = ${answered ? int((c.cpuMs * 1000) / answered) : 'n/a'} us/${unit}`;
  return `${int(c.count)} SQLite commits (${per} ${unit}/commit, avg ${ms(c.count ? c.ms / c.count : NaN)}, max ${ms(c.maxMs)}): ${where}`;
}
