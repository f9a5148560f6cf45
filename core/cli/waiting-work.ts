import fs from 'node:fs';
import path from 'node:path';
import type { Logger } from '../nodes/runner-types';
import { openDataDirOffline } from '../runtime/offline';
import { warnTakeOver } from '../runtime/data-dir-lock';
import type { ExecutionStore } from '../store/types';
import type { WaitingForMissingFlow } from '../runtime/metrics';

/**
 * `cutOff`: cut off by a stop or crash and not run again yet (left `running` by a crash, marked `interrupted` by a
 * start that did not deploy the flow, or queued again by the stop that cut it off); async and ordered ones run again
 * when the flow is deployed.
 */
export type WaitingWork = WaitingForMissingFlow;

/**
 * Accepted messages in a data directory that wait for a flow the process about to start will not deploy (a bundle
 * without it, a renamed flow id): they stay on disk, but nothing would run them and nothing at start-up would say
 * so. Read before the runtime starts, with the data directory's lock held for the look only; a directory without an
 * execution database has none.
 *
 * @example
 * await waitingForOtherFlows('/var/lib/hookline', ['orders']); // [{ flowId: 'itscope-to-erp', queued: 2, cutOff: 1 }]
 */
export async function waitingForOtherFlows(dataDir: string, deployed: string[], logger?: Logger): Promise<WaitingWork[]> {
  if (!fs.existsSync(path.join(dataDir, 'executions.db'))) return [];
  // This look takes a stale lock over before the runtime does (the runtime then finds none): it says so instead.
  const d = openDataDirOffline(dataDir, logger ? { onTakeOver: warnTakeOver(logger, dataDir) } : {});
  try {
    const page = await d.store.listExecutions({ status: ['queued', 'running', 'interrupted'], limit: 500 });
    const byFlow = new Map<string, WaitingWork>();
    for (const e of page.items) {
      if (deployed.includes(e.flowId)) continue;
      // An interrupted execution that was run again already (a retry links to it) waits for nothing.
      if (e.status === 'interrupted' && (await d.store.listExecutions({ retryOf: e.id, limit: 1 })).total > 0) continue;
      const w = byFlow.get(e.flowId) ?? { flowId: e.flowId, queued: 0, cutOff: 0 };
      if (e.status === 'queued' && !(await isRerunOfCutOff(d.store, e.retryOf))) w.queued++;
      else w.cutOff++;
      byFlow.set(e.flowId, w);
    }
    return [...byFlow.values()].sort((a, b) => a.flowId.localeCompare(b.flowId));
  } finally {
    await d.close();
  }
}

/** A graceful stop queues what it cut off again, linked to it: still a message the stop cut off, for the operator. */
async function isRerunOfCutOff(store: ExecutionStore, retryOf: string | undefined): Promise<boolean> {
  return retryOf !== undefined && (await store.getQueueEntry(retryOf))?.status === 'interrupted';
}

/** One warning per flow in the log (counts from the newest 500 waiting executions). */
export function warnWaitingWork(logger: Logger, found: WaitingWork[], dataDir: string, what: string): void {
  for (const w of found) {
    const parts = [w.queued ? `${w.queued} queued` : '', w.cutOff ? `${w.cutOff} cut off by the last stop` : ''].filter(Boolean).join(', ');
    logger.warn(
      `${w.queued + w.cutOff} accepted message(s) wait for flow "${w.flowId}", which ${what} does not have (${parts}): they run when a flow with that id is deployed on this data directory; with this process stopped, 'hookline executions --data-dir ${dataDir} --flow ${w.flowId}' lists them`,
      { flowId: w.flowId, queued: w.queued, cutOff: w.cutOff },
    );
  }
}
