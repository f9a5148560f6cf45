'use strict';
// The execution store's writer thread (plain JavaScript so it loads the same way under tsx, vitest and
// Electron). It owns the one write connection: batches of prepared-statement runs arrive from the main
// thread and are committed in one transaction each, so SQLite's CPU and fsync time never block request
// handling. Protocol: init {file, statements}; batch {id, full, ops: [name, params][]} -> done {id, rowids}
// or failed {id, message}; close -> closed.
const { parentPort } = require('node:worker_threads');
const Database = require('better-sqlite3');

let db;
let stmts = {};
let currentFull;

parentPort.on('message', (msg) => {
  if (msg.type === 'init') {
    try {
      db = new Database(msg.file);
      db.pragma('journal_mode = WAL');
      db.pragma('busy_timeout = 5000');
      currentFull = undefined;
      for (const [name, sql] of Object.entries(msg.statements)) stmts[name] = db.prepare(sql);
      parentPort.postMessage({ type: 'ready' });
    } catch (err) {
      parentPort.postMessage({ type: 'init-failed', message: String(err && err.message) });
    }
    return;
  }
  if (msg.type === 'batch') {
    const rowids = [];
    try {
      if (msg.full !== currentFull) {
        db.pragma(`synchronous = ${msg.full ? 'FULL' : 'NORMAL'}`);
        currentFull = msg.full;
      }
      db.transaction(() => {
        for (const [name, params] of msg.ops) {
          const r = params === undefined ? stmts[name].run() : stmts[name].run(params);
          rowids.push(Number(r.lastInsertRowid));
        }
      })();
      parentPort.postMessage({ type: 'done', id: msg.id, rowids });
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
