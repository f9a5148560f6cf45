import fs from 'node:fs';
import path from 'node:path';
import type { Logger } from '../nodes/runner-types';
import { openDataDirOffline } from '../runtime/offline';
import type { WaitingForMissingFlow } from '../runtime/metrics';

/**
 * `cutOff`: cut off by a stop or crash and not run again yet (left `running`, or marked `interrupted` by a start that
 * did not deploy the flow); async and ordered ones run again when the flow is deployed.
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
export async function waitingForOtherFlows(dataDir: string, deployed: string[]): Promise<WaitingWork[]> {
  if (!fs.existsSync(path.join(dataDir, 'executions.db'))) return [];
  const d = openDataDirOffline(dataDir);
  try {
    const page = await d.store.listExecutions({ status: ['queued', 'running', 'interrupted'], limit: 500 });
    const byFlow = new Map<string, WaitingWork>();
    for (const e of page.items) {
      if (deployed.includes(e.flowId)) continue;
      // An interrupted execution that was run again already (a retry links to it) waits for nothing.
      if (e.status === 'interrupted' && (await d.store.listExecutions({ retryOf: e.id, limit: 1 })).total > 0) continue;
      const w = byFlow.get(e.flowId) ?? { flowId: e.flowId, queued: 0, cutOff: 0 };
      if (e.status === 'queued') w.queued++;
      else w.cutOff++;
      byFlow.set(e.flowId, w);
    }
    return [...byFlow.values()].sort((a, b) => a.flowId.localeCompare(b.flowId));
  } finally {
    await d.close();
  }
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
