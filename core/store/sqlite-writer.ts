import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type Database from 'better-sqlite3';
import { unspool, type SpoolData } from './spool';

/**
 * A write statement: SQL with positional `?` parameters, how many it takes, and what a run reports back
 * (`rowid` for inserts whose position someone needs, else the number of rows changed).
 */
export interface WriteStatement {
  sql: string;
  params: number;
  returns: 'rowid' | 'changes';
  /** Positions of parameters that may travel in the spool (a number there is a span index, see spool.ts). */
  spooled?: number[];
  /** Those of them bound as BLOBs (the rest are UTF-8 text). */
  blobs?: number[];
}

/**
 * A batch, flat: for each run, the statement's index followed by exactly its parameters. One flat array of
 * primitives costs half as much to pass to the writer thread as one object per run with named keys (measured
 * with v8.serialize: 4.5–6 vs 11–13 µs per request-response execution).
 */
export type Batch = unknown[];

/** Commits batches, each in one transaction; resolves with one result per run (rowid or changes). */
export interface Writer {
  /** The spool's buffer is transferred to the writer thread: the caller must not use it afterwards. */
  run(batch: Batch, full: boolean, spool?: SpoolData): Promise<number[]>;
  close(): Promise<void>;
}

/**
 * The writer thread's script. Named from core/<dir>/ so it resolves the same from the sources
 * (core/store/sqlite-writer.ts) and from the Electron bundle, whose import.meta.url stands for a file in
 * core/bundle/ (see scripts/start.mjs); electron-builder ships the script there.
 */
export const WRITER_THREAD_FILE = fileURLToPath(new URL('../store/sqlite-writer.cjs', import.meta.url));

/**
 * The writer thread (sqlite-writer.cjs) when its file is there, else the same work on this thread (a bundle
 * that did not ship the file still works, only slower; `onInline` says why).
 */
export async function createWriter(
  file: string,
  statements: WriteStatement[],
  db: Database.Database,
  mode: 'worker' | 'inline' = 'worker',
  onInline?: (reason: string) => void,
): Promise<Writer> {
  if (mode === 'worker' && file !== ':memory:') {
    if (fs.existsSync(WRITER_THREAD_FILE)) return startWorker(WRITER_THREAD_FILE, file, statements);
    onInline?.(`${WRITER_THREAD_FILE} is missing: executions are written on the main thread`);
  }
  return inlineWriter(db, statements);
}

/** Runs one flat batch against prepared statements; shared in spirit with sqlite-writer.cjs (keep the two alike). */
function runBatch(stmts: Database.Statement[], defs: WriteStatement[], batch: Batch, spool: SpoolData | undefined): number[] {
  const results: number[] = [];
  const view = spool?.buffer ? Buffer.from(spool.buffer) : undefined;
  let i = 0;
  while (i < batch.length) {
    const op = batch[i++] as number;
    const def = defs[op];
    const args = batch.slice(i, i + def.params);
    if (def.spooled) {
      for (const k of def.spooled) {
        if (typeof args[k] === 'number') args[k] = unspool(view!, spool!.spans, args[k] as number, def.blobs!.includes(k));
      }
    }
    const r = stmts[op].run(args as never);
    i += def.params;
    results.push(def.returns === 'rowid' ? Number(r.lastInsertRowid) : r.changes);
  }
  return results;
}

function inlineWriter(db: Database.Database, statements: WriteStatement[]): Writer {
  db.pragma('query_only = OFF'); // this connection is also the writer
  db.pragma('cache_size = -32000'); // as the writer thread's (see WRITER_CACHE_SIZE in sqlite-writer.cjs)
  const stmts = statements.map((s) => db.prepare(s.sql));
  let currentFull: boolean | undefined;
  return {
    async run(batch, full, spool) {
      if (full !== currentFull) {
        db.pragma(`synchronous = ${full ? 'FULL' : 'NORMAL'}`);
        currentFull = full;
      }
      return db.transaction(() => runBatch(stmts, statements, batch, spool))();
    },
    async close() {},
  };
}

function startWorker(workerFile: string, file: string, statements: WriteStatement[]): Promise<Writer> {
  const worker = new Worker(workerFile);
  let next = 1;
  const waiting = new Map<number, { resolve: (r: number[]) => void; reject: (e: Error) => void }>();
  let closed: (() => void) | undefined;
  let dead: Error | undefined;
  worker.on('message', (m: { type: string; id?: number; results?: number[]; message?: string }) => {
    if (m.type === 'done') {
      waiting.get(m.id!)?.resolve(m.results!);
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
        run(batch, full, spool) {
          if (dead) return Promise.reject(dead);
          const id = next++;
          return new Promise((res, rej) => {
            waiting.set(id, { resolve: res, reject: rej });
            const buffer = spool?.buffer;
            worker.postMessage({ type: 'batch', id, full, batch, buffer, spans: spool?.spans }, buffer ? [buffer] : []);
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
    worker.postMessage({ type: 'init', file, statements, nice: Number(process.env.HOOKLINE_WRITER_NICE ?? 10) });
  });
}
