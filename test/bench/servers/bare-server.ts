/**
 * Baselines: plain node:http doing the same work as the Hookline flow, without Hookline.
 * - `echo`:  read body, JSON.parse, JSON.stringify back, 200 (request-response baseline).
 * - `ack`:   read body, JSON.parse, 202 with an id, nothing stored (ceiling for async ingest).
 * - `fsync`: read body, JSON.parse, append to a file; every group of messages that arrived while the previous
 *            write was in flight is written and fsync'ed together, then all of them get their 202 (group commit).
 */
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { childOptions, failChild, serveChild } from '../lib/child-ipc';

interface Options {
  mode: 'echo' | 'ack' | 'fsync';
  dataDir?: string;
}

const o = childOptions<Options>();

function readJson(req: http.IncomingMessage): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      try {
        resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      } catch (e) {
        reject(e);
      }
    });
    req.on('error', reject);
  });
}

function reply(res: http.ServerResponse, status: number, body: string) {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

let fd: number | undefined;
let appended = 0;
let groups = 0;
let queue: Array<{ line: string; res: http.ServerResponse; id: string }> = [];
let writing = false;

function flush() {
  if (writing || !queue.length || fd === undefined) return;
  writing = true;
  const batch = queue;
  queue = [];
  fs.write(fd, batch.map((b) => b.line).join(''), (err) => {
    if (err) return done(err);
    fs.fsync(fd!, done);
  });
  function done(err: Error | null) {
    writing = false;
    groups++;
    for (const b of batch) {
      if (err) reply(b.res, 503, '{"error":"store_unavailable"}');
      else reply(b.res, 202, JSON.stringify({ executionId: b.id }));
    }
    if (!err) appended += batch.length;
    flush();
  }
}

const server = http.createServer({ keepAliveTimeout: 5000 }, (req, res) => {
  readJson(req).then(
    (body) => {
      if (o.mode === 'echo') return reply(res, 200, JSON.stringify(body));
      const id = randomUUID();
      if (o.mode === 'ack') return reply(res, 202, JSON.stringify({ executionId: id }));
      queue.push({ id, res, line: JSON.stringify({ id, body }) + '\n' });
      flush();
    },
    () => reply(res, 400, '{"error":"bad_json"}'),
  );
});

try {
  if (o.mode === 'fsync') fd = fs.openSync(path.join(o.dataDir!, 'messages.log'), 'a');
  server.listen(0, '127.0.0.1', () => {
    serveChild({
      port: (server.address() as AddressInfo).port,
      commands: { stats: () => ({ appended, groups }) },
      onStop: async () => {
        // Keep-alive sockets would hold close() open; the load is over by the time the parent asks to stop.
        server.closeAllConnections();
        await new Promise<void>((r) => server.close(() => r()));
        if (fd !== undefined) fs.closeSync(fd);
      },
    });
  });
} catch (err) {
  failChild(err);
}
