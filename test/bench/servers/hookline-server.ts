/**
 * A Hookline runtime with one deployed flow, as the bench's server under test.
 * Commands: `verify` waits until every queued execution has run and reports the store's counts.
 */
import { createRuntime } from '../../../core/runtime/runtime';
import { MemorySecretStore } from '../../../core/secrets/secret-store';
import { childOptions, failChild, serveChild } from '../lib/child-ipc';
import type { CommitStats } from '../lib/format';

interface Options {
  dataDir: string;
  synchronous: 'FULL' | 'NORMAL';
  flow: { id: string } & Record<string, unknown>;
  /** false: outbound requests on the main thread (HOOKLINE_OUTBOUND_THREAD=0), for comparison. */
  outboundThread?: boolean;
}

const o = childOptions<Options>();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function main() {
  if (o.outboundThread === false) process.env.HOOKLINE_OUTBOUND_THREAD = '0';
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
      // Writer threads report every 200 ms (servers/commit-timer.mjs, preloaded); wait for their latest.
      commits: async () => {
        await sleep(300);
        const totals = (globalThis as { __benchCommits?: () => CommitStats }).__benchCommits;
        if (!totals) throw new Error('commit-timer.mjs was not preloaded');
        return totals();
      },
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
