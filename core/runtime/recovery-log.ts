import type { Logger } from '../nodes/runner-types';
import type { PendingExecution } from '../store/types';

/**
 * What a start found in the data directory, told in the log: interrupted executions (they run again when their
 * flow is deployed) and ordered lines still halted on a failed message, with how to release each. A halted line
 * holds every message behind it, and nothing else at start-up would say so.
 */
export function logRecovered(logger: Logger, dataDir: string, found: { interrupted: PendingExecution[]; blocked: PendingExecution[] }): void {
  for (const r of found.interrupted)
    logger.warn('execution was interrupted by a stop or crash; it runs again when its flow is deployed, unless the caller waited for its answer', {
      executionId: r.id,
      flowId: r.flowId,
      triggerNodeId: r.triggerNodeId,
    });
  for (const b of found.blocked) {
    const partition = b.lane?.slice(b.flowId.length + b.triggerNodeId.length + 2) ?? '';
    logger.warn('ordered line is halted on a failed execution: the messages behind it wait until it is retried or skipped', {
      flowId: b.flowId,
      triggerNodeId: b.triggerNodeId,
      ...(partition ? { partition } : {}),
      executionId: b.id,
      unblock: `retry or skip execution ${b.id} in the studio, or stop this process and run 'hookline retry ${b.id} --data-dir ${dataDir}' (runs it again, first in its line) or 'hookline skip ${b.id} --data-dir ${dataDir}' (leaves it failed, the line goes on)`,
    });
  }
}
