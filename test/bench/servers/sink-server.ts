/**
 * The partner endpoint the relay flows POST to: reads the body, answers 200 with a small JSON receipt.
 * Commands: `last` returns the last body received (the relay section compares what both relays sent),
 * `received` and `connections` count requests and TCP connections (keep-alive shows as few connections).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { failChild, serveChild } from '../lib/child-ipc';

let received = 0;
/** TCP connections accepted: stays at about the client's concurrency when the relay reuses its sockets. */
let connections = 0;
let last: { contentType?: string; body: string } | undefined;

const server = http.createServer({ keepAliveTimeout: 5000 }, (req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const body = Buffer.concat(chunks).toString('utf8');
    received++;
    last = { contentType: req.headers['content-type'], body };
    const answer = `{"accepted":true,"bytes":${Buffer.byteLength(body)}}`;
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(answer) });
    res.end(answer);
  });
});

server.on('connection', () => connections++);

try {
  server.listen(0, '127.0.0.1', () => {
    serveChild({
      port: (server.address() as AddressInfo).port,
      commands: { last: () => last, received: () => received, connections: () => connections },
      onStop: async () => {
        server.closeAllConnections();
        await new Promise<void>((r) => server.close(() => r()));
      },
    });
  });
} catch (err) {
  failChild(err);
}
