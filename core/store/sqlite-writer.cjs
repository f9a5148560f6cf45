'use strict';
// The execution store's writer thread (plain JavaScript so it loads the same way under tsx, vitest and
// Electron). It owns the one write connection: flat batches of prepared-statement runs arrive from the main
// thread (see Batch in sqlite-writer.ts) and are committed in one transaction each, so SQLite's CPU and fsync
// time never block request handling. Protocol: init {file, statements: [{sql, params, returns}]};
// batch {id, full, batch} -> done {id, results} or failed {id, message}; close -> closed.
const { parentPort } = require('node:worker_threads');
const Database = require('better-sqlite3');
const fs = require('node:fs');
const os = require('node:os');

/**
 * Background priority for this thread, `by` nice levels below the process (Linux: a nice value per thread, found through /proc/thread-self):
 * request handling on the main thread comes first, and a writer that waits gathers bigger batches. Elsewhere,
 * or when not allowed, the thread keeps the normal priority.
 */
function lowerPriority(by) {
  try {
    const tid = Number(fs.readlinkSync('/proc/thread-self').split('/').pop());
    if (Number.isInteger(tid) && tid > 0) os.setPriority(tid, Math.min(19, os.getPriority(tid) + by));
  } catch {
    // not Linux, or not permitted: normal priority
  }
}

/**
 * Page cache of the write connection, in KiB (negative: a size, not a page count). SQLite's 2 MB default could
 * not hold the pages every batch touches (the newest and oldest ends of each index: inserts and retention),
 * so the writer read them again from the file: about 1.8 reads per request on the request-response bench, and
 * 15 % of the writer thread's CPU. 32 MB is a ceiling, filled only as pages are used.
 */
const WRITER_CACHE_SIZE = -32000;

let db;
let defs = [];
let stmts = [];
let currentFull;

/**
 * A batch's large parameters arrive in one transferred buffer (see spool.ts): in the positions a statement
 * declares, a number is the index of a span, UTF-8 text or (for a BLOB) bytes.
 */
function runBatch(batch, buffer, spans) {
  const results = [];
  const view = buffer ? Buffer.from(buffer) : undefined;
  let i = 0;
  while (i < batch.length) {
    const op = batch[i++];
    const def = defs[op];
    const args = batch.slice(i, i + def.params);
    if (def.spooled) {
      for (const k of def.spooled) {
        if (typeof args[k] !== 'number') continue;
        const off = spans[args[k] * 2];
        const end = off + spans[args[k] * 2 + 1];
        args[k] = def.blobs.includes(k) ? view.subarray(off, end) : view.toString('utf8', off, end);
      }
    }
    const r = stmts[op].run(args);
    i += def.params;
    results.push(def.returns === 'rowid' ? Number(r.lastInsertRowid) : r.changes);
  }
  return results;
}

parentPort.on('message', (msg) => {
  if (msg.type === 'init') {
    try {
      db = new Database(msg.file);
      db.pragma('journal_mode = WAL');
      db.pragma('busy_timeout = 5000');
      db.pragma(`cache_size = ${WRITER_CACHE_SIZE}`);
      currentFull = undefined;
      if (msg.nice) lowerPriority(msg.nice);
      defs = msg.statements;
      stmts = defs.map((d) => db.prepare(d.sql));
      parentPort.postMessage({ type: 'ready' });
    } catch (err) {
      parentPort.postMessage({ type: 'init-failed', message: String(err && err.message) });
    }
    return;
  }
  if (msg.type === 'batch') {
    try {
      if (msg.full !== currentFull) {
        db.pragma(`synchronous = ${msg.full ? 'FULL' : 'NORMAL'}`);
        currentFull = msg.full;
      }
      const results = db.transaction(runBatch)(msg.batch, msg.buffer, msg.spans);
      parentPort.postMessage({ type: 'done', id: msg.id, results });
    } catch (err) {
      parentPort.postMessage({ type: 'failed', id: msg.id, message: String(err && err.message) });
    }
    return;
  }
  if (msg.type === 'close') {
    try {
      if (db) db.close();
    } finally {
      parentPort.postMessage({ type: 'closed' });
    }
  }
});
