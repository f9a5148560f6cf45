/**
 * Baselines: plain node:http doing the same work as the Hookline flow, without Hookline.
 * - `echo`:  read body, JSON.parse, JSON.stringify back, 200 (request-response baseline).
 * - `ack`:   read body, JSON.parse, 202 with an id, nothing stored (ceiling for async ingest).
 * - `fsync`: read body, JSON.parse, append to a file; every group of messages that arrived while the previous
 *            write was in flight is written and fsync'ed together, then all of them get their 202 (group commit).
 * - `map`:   read body, JSON.parse, the transform section's mapping by hand, JSON.stringify, 200.
 * - `relay`: read body, JSON.parse, build the ERP XML by hand, POST it to `sinkUrl` over a keep-alive agent,
 *            answer 200 with the sink's JSON answer (what the relay flow does without Hookline).
 */
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { childOptions, failChild, serveChild } from '../lib/child-ipc';
import { buildErpXml, type ItscopeEvent } from '../lib/erp-xml';
import { mapOrderByHand, type SampleOrder } from '../lib/mapping';

interface Options {
  mode: 'echo' | 'ack' | 'fsync' | 'map' | 'relay';
  dataDir?: string;
  sinkUrl?: string;
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

const sinkAgent = new http.Agent({ keepAlive: true, maxSockets: 64 });

function relay(event: ItscopeEvent, res: http.ServerResponse) {
  const xml = buildErpXml(event);
  const url = new URL(o.sinkUrl!);
  const out = http.request(
    { host: url.hostname, port: url.port, path: url.pathname, method: 'POST', agent: sinkAgent, headers: { 'content-type': 'application/xml', 'content-length': Buffer.byteLength(xml) } },
    (sink) => {
      const chunks: Buffer[] = [];
      sink.on('data', (c: Buffer) => chunks.push(c));
      sink.on('end', () => {
        if (sink.statusCode !== 200) return reply(res, 502, '{"error":"sink_failed"}');
        try {
          reply(res, 200, JSON.stringify(JSON.parse(Buffer.concat(chunks).toString('utf8'))));
        } catch {
          reply(res, 502, '{"error":"sink_bad_json"}');
        }
      });
    },
  );
  out.on('error', () => reply(res, 502, '{"error":"sink_unreachable"}'));
  out.end(xml);
}

const server = http.createServer({ keepAliveTimeout: 5000 }, (req, res) => {
  readJson(req).then(
    (body) => {
      if (o.mode === 'echo') return reply(res, 200, JSON.stringify(body));
      if (o.mode === 'map') return reply(res, 200, JSON.stringify(mapOrderByHand(body as SampleOrder)));
      if (o.mode === 'relay') return relay(body as ItscopeEvent, res);
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
        sinkAgent.destroy();
        await new Promise<void>((r) => server.close(() => r()));
        if (fd !== undefined) fs.closeSync(fd);
      },
    });
  });
} catch (err) {
  failChild(err);
}
