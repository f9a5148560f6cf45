import path from 'node:path';
import { afterEach } from 'vitest';
import { openSqliteStore } from '../../core/store/sqlite-store';
import type { ExecutionStore, NewExecution } from '../../core/store/types';
import { tempDir } from '../helpers/runtime';

/** Shared by the store tests: a store per test (closed after it), sample records and raw reads of the file. */
export const stores: ExecutionStore[] = [];
/** Call once per test file: closes the stores its tests opened. */
export function closeStoresAfterEach() {
  afterEach(async () => {
    for (const s of stores.splice(0)) await s.close();
  });
}
export function open(file = path.join(tempDir(), 'x.db')) {
  const s = openSqliteStore(file, { synchronous: 'NORMAL' });
  stores.push(s);
  return { s, file };
}
export const message = (body: unknown) => ({ trigger: { type: 'webhook', nodeId: 'h', query: {}, headers: {}, body, receivedAt: '' }, data: body, vars: {} });
/** One row of a query on the database file, read on a connection of its own (not through the store). */
export function rawGet(file: string, sql: string, ...args: unknown[]): any {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const Database = require('better-sqlite3');
  const db = new Database(file, { readonly: true });
  try {
    return db.prepare(sql).get(...args);
  } finally {
    db.close();
  }
}
let n = 0;
export const rec = (over: Partial<NewExecution> = {}): NewExecution => ({
  id: `e${++n}`,
  flowId: 'f',
  flowRevision: 1,
  triggerNodeId: 'h',
  status: 'queued',
  queuedAt: Date.now(),
  diagnostics: 'full',
  input: message({ n }),
  ...over,
});
