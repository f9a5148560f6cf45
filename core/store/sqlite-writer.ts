import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type Database from 'better-sqlite3';

/** One statement run: a prepared statement's name and its parameters. */
export type WriteOp = [name: string, params?: Record<string, unknown> | unknown[]];

/** Commits batches of statement runs, each in one transaction; resolves with each run's rowid. */
export interface Writer {
  run(ops: WriteOp[], full: boolean): Promise<number[]>;
  close(): Promise<void>;
}

/**
 * The writer thread (sqlite-writer.cjs) when its file is there, else the same work on this thread (a bundle
 * that did not ship the file still works, only slower).
 */
export async function createWriter(file: string, statements: Record<string, string>, db: Database.Database, mode: 'worker' | 'inline' = 'worker'): Promise<Writer> {
  const workerFile = fileURLToPath(new URL('./sqlite-writer.cjs', import.meta.url));
  if (mode === 'worker' && file !== ':memory:' && fs.existsSync(workerFile)) return startWorker(workerFile, file, statements);
  return inlineWriter(db, statements);
}

function inlineWriter(db: Database.Database, statements: Record<string, string>): Writer {
  db.pragma('query_only = OFF'); // this connection is also the writer
  const stmts = Object.fromEntries(Object.entries(statements).map(([k, sql]) => [k, db.prepare(sql)]));
  let currentFull: boolean | undefined;
  return {
    async run(ops, full) {
      if (full !== currentFull) {
        db.pragma(`synchronous = ${full ? 'FULL' : 'NORMAL'}`);
        currentFull = full;
      }
      const rowids: number[] = [];
      db.transaction(() => {
        for (const [name, params] of ops) rowids.push(Number((params === undefined ? stmts[name].run() : stmts[name].run(params as never)).lastInsertRowid));
      })();
      return rowids;
    },
    async close() {},
  };
}

function startWorker(workerFile: string, file: string, statements: Record<string, string>): Promise<Writer> {
  const worker = new Worker(workerFile);
  let next = 1;
  const waiting = new Map<number, { resolve: (r: number[]) => void; reject: (e: Error) => void }>();
  let closed: (() => void) | undefined;
  let dead: Error | undefined;
  worker.on('message', (m: { type: string; id?: number; rowids?: number[]; message?: string }) => {
    if (m.type === 'done') {
      waiting.get(m.id!)?.resolve(m.rowids!);
      waiting.delete(m.id!);
    } else if (m.type === 'failed') {
      waiting.get(m.id!)?.reject(new Error(m.message));
      waiting.delete(m.id!);
    } else if (m.type === 'closed') closed?.();
  });
  const failAll = (err: Error) => {
    dead = err;
    for (const w of waiting.values()) w.reject(err);
    waiting.clear();
  };
  worker.on('error', failAll);
  worker.on('exit', () => {
    failAll(dead ?? new Error('the store writer thread stopped'));
    closed?.();
  });
  return new Promise((resolve, reject) => {
    // A writer that dies before it is ready must fail the store loudly, not leave start-up waiting forever.
    const early = (err: Error) => reject(new Error(`the store writer thread failed to start: ${err.message}`));
    worker.once('error', early);
    worker.once('exit', (code) => early(new Error(`it exited with code ${code}`)));
    worker.once('message', (m: { type: string; message?: string }) => {
      worker.off('error', early);
      if (m.type !== 'ready') {
        void worker.terminate();
        return reject(new Error(`the store writer could not open ${file}: ${m.message}`));
      }
      resolve({
        run(ops, full) {
          if (dead) return Promise.reject(dead);
          const id = next++;
          return new Promise((res, rej) => {
            waiting.set(id, { resolve: res, reject: rej });
            worker.postMessage({ type: 'batch', id, full, ops });
          });
        },
        close() {
          if (dead) return Promise.resolve();
          return new Promise<void>((res) => {
            closed = () => {
              closed = undefined;
              void worker.terminate().then(() => res());
            };
            worker.postMessage({ type: 'close' });
          });
        },
      });
    });
    worker.postMessage({ type: 'init', file, statements });
  });
}
