import fs from 'node:fs';
import path from 'node:path';
import { openSqliteStore } from '../store/sqlite-store';
import type { ExecutionStore } from '../store/types';
import { lockDataDir, type LockOwner } from './data-dir-lock';
import { uuidv7 } from './ids';

/** A request the data directory cannot satisfy (no such execution, nothing to release): the CLI exits 1. */
export class OfflineError extends Error {}

/**
 * Opens a data directory's execution store for a command while no runtime runs there: takes the data-dir lock
 * first (throws DataDirInUseError naming the process that holds it), so a server cannot start on the directory
 * in between. `close()` closes the store and releases the lock. `onTakeOver` hears of a stale lock taken over.
 *
 * @example
 * const d = openDataDirOffline('/var/lib/hookline');
 * try { await skipOffline(d.store, id); } finally { await d.close(); }
 */
export function openDataDirOffline(dataDir: string, opts: { onTakeOver?: (stale: LockOwner | undefined) => void } = {}): { store: ExecutionStore; close(): Promise<void> } {
  const file = path.join(dataDir, 'executions.db');
  if (!fs.existsSync(file)) throw new OfflineError(`no execution database in ${dataDir} (is --data-dir right?)`);
  const lock = lockDataDir(dataDir, opts);
  let store: ExecutionStore;
  try {
    // Inline writer: a command writes a record or two, a writer thread would only add start-up time.
    store = openSqliteStore(file, { writer: 'inline' });
  } catch (err) {
    lock.release();
    throw err;
  }
  return {
    store,
    async close() {
      try {
        await store.close();
      } finally {
        lock.release();
      }
    },
  };
}

/**
 * Queues a finished execution's message to run again at the next start, as a new execution linked to it. When it
 * halts an ordered line, the new one takes its place at the head of the line and the line is released (what
 * Retry does in the studio).
 */
export async function retryOffline(store: ExecutionStore, id: string): Promise<{ executionId: string; releasedLine: boolean }> {
  const e = await store.getQueueEntry(id);
  if (!e) throw new OfflineError(`execution "${id}" was not found`);
  if (e.status === 'queued' || e.status === 'running') throw new OfflineError(`execution "${id}" is ${e.status}: it runs at the next start, there is nothing to retry`);
  if (!e.input) throw new OfflineError(`execution "${id}" has no recorded input to retry`);
  // A second retry before the first has run would deliver the message twice.
  const pending = (await store.listExecutions({ retryOf: id, status: ['queued', 'running'], limit: 1 })).items[0];
  if (pending) throw new OfflineError(`execution "${id}" is already queued to run again as "${pending.id}" (at the next start)`);
  const executionId = uuidv7();
  if (e.blocking) store.setBlocking(id, false);
  await store.accept({
    id: executionId,
    flowId: e.flowId,
    flowRevision: e.flowRevision,
    triggerNodeId: e.triggerNodeId,
    lane: e.lane,
    // The head of a halted line keeps its position; any other retry queues at the end, as in the studio.
    orderSeq: e.blocking ? e.orderSeq : undefined,
    status: 'queued',
    queuedAt: Date.now(),
    businessKey: e.businessKey,
    retryOf: id,
    diagnostics: e.diagnostics,
    input: e.input,
  });
  return { executionId, releasedLine: e.blocking };
}

/** Releases the ordered line halted on this execution without running it again; it stays failed. */
export async function skipOffline(store: ExecutionStore, id: string): Promise<void> {
  const e = await store.getQueueEntry(id);
  if (!e) throw new OfflineError(`execution "${id}" was not found`);
  if (!e.blocking) throw new OfflineError(`execution "${id}" is not holding up an ordered line`);
  store.setBlocking(id, false);
  await store.flush();
}
