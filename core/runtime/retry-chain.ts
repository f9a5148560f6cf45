import type { ExecutionStore } from '../store/types';

/**
 * The first execution of a retry chain, from the one retried: what a retried run shares with the run it retries
 * (Publish Event's event id). Bounded: a chain longer than 100 ends there.
 */
export async function originOf(store: ExecutionStore, retried: string): Promise<string> {
  let id = retried;
  for (let i = 0; i < 100; i++) {
    const prev = (await store.getInput(id))?.summary.retryOf;
    if (!prev) break;
    id = prev;
  }
  return id;
}
