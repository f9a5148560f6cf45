/**
 * Preloaded (`--import`) into Hookline server children, so it runs in every thread, the store's writer
 * thread included: times every better-sqlite3 transaction (the store's group commits). Writer threads send
 * their totals over a BroadcastChannel; `globalThis.__benchCommits()` in the main thread adds them up
 * (shape: CommitStats in lib/format.ts). Measurement only; core is untouched. `cpuMs` is only known for
 * main-thread commits: process.cpuUsage() counts the whole process, which says nothing about one worker.
 *
 * Plain JavaScript: tsx's loader does not apply to a worker thread's own --import preloads.
 */
import Database from 'better-sqlite3';
import { BroadcastChannel, isMainThread, threadId } from 'node:worker_threads';

const own = { count: 0, ms: 0, maxMs: 0, cpuMs: 0 };
const originalTransaction = Database.prototype.transaction;
Database.prototype.transaction = function (fn) {
  const wrapped = originalTransaction.call(this, fn);
  return function (...args) {
    const t0 = process.hrtime.bigint();
    const c0 = isMainThread ? process.cpuUsage() : undefined;
    try {
      return wrapped.apply(this, args);
    } finally {
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      if (c0) {
        const c = process.cpuUsage(c0);
        own.cpuMs += (c.user + c.system) / 1000;
      }
      own.count++;
      own.ms += ms;
      if (ms > own.maxMs) own.maxMs = ms;
    }
  };
};

const channel = new BroadcastChannel('hookline-bench-commits');
channel.unref();
/** How often writer threads report; hookline-server.ts's `commits` command waits a little longer than this. */
const REPORT_MS = 200;

if (isMainThread) {
  const workers = new Map();
  channel.onmessage = (e) => workers.set(e.data.threadId, e.data);
  globalThis.__benchCommits = () => {
    const w = [...workers.values()];
    const workerCount = w.reduce((s, x) => s + x.count, 0);
    const workerMs = w.reduce((s, x) => s + x.ms, 0);
    return { count: own.count + workerCount, ms: own.ms + workerMs, maxMs: Math.max(own.maxMs, ...w.map((x) => x.maxMs)), cpuMs: own.cpuMs, workerCount, workerMs };
  };
} else {
  let sent = -1;
  setInterval(() => {
    if (own.count === sent) return;
    sent = own.count;
    channel.postMessage({ threadId, ...own });
  }, REPORT_MS).unref();
}
