/**
 * A Hookline runtime with one deployed flow, as the bench's server under test.
 * Commands: `verify` waits until every queued execution has run and reports the store's counts.
 */
import Database from 'better-sqlite3';
import { createRuntime } from '../../../core/runtime/runtime';
import { MemorySecretStore } from '../../../core/secrets/secret-store';
import { childOptions, failChild, serveChild } from '../lib/child-ipc';

interface Options {
  dataDir: string;
  synchronous: 'FULL' | 'NORMAL';
  flow: { id: string } & Record<string, unknown>;
}

const o = childOptions<Options>();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Times every SQLite transaction of this process (the store's group commits), so the bench can show how many
 * commits the load caused and how long the event loop was blocked in them. better-sqlite3 is synchronous:
 * a commit, and with synchronous FULL its fsync, holds the whole server. Measurement only; core is untouched.
 */
const commits = { count: 0, ms: 0, maxMs: 0, cpuMs: 0 };
const originalTransaction = Database.prototype.transaction;
Database.prototype.transaction = function (this: Database.Database, fn: (...a: unknown[]) => unknown) {
  const wrapped = originalTransaction.call(this, fn) as (...a: unknown[]) => unknown;
  return function (this: unknown, ...args: unknown[]) {
    const t0 = process.hrtime.bigint();
    const c0 = process.cpuUsage();
    try {
      return wrapped.apply(this, args);
    } finally {
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      const c = process.cpuUsage(c0);
      commits.cpuMs += (c.user + c.system) / 1000;
      commits.count++;
      commits.ms += ms;
      if (ms > commits.maxMs) commits.maxMs = ms;
    }
  } as any;
} as any;

async function main() {
  const rt = createRuntime({ dataDir: o.dataDir, port: 0, secrets: new MemorySecretStore({}), synchronous: o.synchronous });
  await rt.start();
  await rt.deploy(o.flow);
  // Bounded wait for the queues to empty: the bench only reports what it finds. Returns the time it took.
  const drain = async (maxWaitMs: number) => {
    const t0 = Date.now();
    while (Date.now() - t0 < maxWaitMs && rt.queueDepths().some((q) => q.depth > 0 || q.active > 0)) await sleep(5);
    return Date.now() - t0;
  };
  serveChild({
    port: rt.port,
    commands: {
      commits: () => ({ ...commits }),
      drain: (arg) => drain((arg as { maxWaitMs?: number })?.maxWaitMs ?? 10_000),
      async verify(arg) {
        const drainMs = await drain((arg as { maxWaitMs?: number })?.maxWaitMs ?? 60_000);
        await rt.store.flush();
        const count = async (status?: Array<'queued' | 'running' | 'succeeded' | 'failed'>) => (await rt.store.listExecutions({ flowId: o.flow.id, status, limit: 1 })).total;
        return {
          total: await count(),
          succeeded: await count(['succeeded']),
          failed: await count(['failed']),
          unfinished: await count(['queued', 'running']),
          drainMs,
        };
      },
    },
    onStop: () => rt.stop(2000),
  });
}

main().catch(failChild);
