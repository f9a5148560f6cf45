import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import type { AddressInfo } from 'node:net';

/** Small real servers on 127.0.0.1 port 0 for the HTTP client tests, each recording what it received. */

export interface Recorded {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
  clientCertCN?: string;
}

export interface TestServer {
  url: string;
  port: number;
  requests: Recorded[];
  close(): Promise<void>;
}

type Handler = (req: http.IncomingMessage, res: http.ServerResponse, body: string, n: number) => void;

function wrap(server: http.Server | https.Server, requests: Recorded[], handler: Handler) {
  server.on('request', (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const sock = req.socket as import('node:tls').TLSSocket;
      const cn = sock.getPeerCertificate?.()?.subject?.CN;
      requests.push({ method: req.method!, url: req.url!, headers: req.headers, body, ...(cn ? { clientCertCN: String(cn) } : {}) });
      handler(req, res, body, requests.length);
    });
  });
}

async function listen(server: net.Server, scheme: string, requests: Recorded[]): Promise<TestServer> {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  const sockets = new Set<net.Socket>();
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  server.on('secureConnection', (s) => sockets.add(s));
  return {
    url: `${scheme}://127.0.0.1:${port}`,
    port,
    requests,
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}

export function startHttp(handler: Handler): Promise<TestServer> {
  const requests: Recorded[] = [];
  const server = http.createServer();
  wrap(server, requests, handler);
  return listen(server, 'http', requests);
}

export function startHttps(tls: https.ServerOptions, handler: Handler): Promise<TestServer> {
  const requests: Recorded[] = [];
  const server = https.createServer(tls);
  wrap(server, requests, handler);
  return listen(server, 'https', requests);
}

export const json = (res: http.ServerResponse, status: number, body: unknown, headers: http.OutgoingHttpHeaders = {}) => {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
};

/**
 * A forward proxy: absolute-URI requests for http:// targets, CONNECT tunnels for https://.
 * `route` maps the requested host:port to where it really goes (so fake hostnames stay on loopback).
 */
export async function startProxy(route: (hostPort: string) => string = (h) => h): Promise<TestServer & { connects: string[] }> {
  const requests: Recorded[] = [];
  const connects: string[] = [];
  const server = http.createServer((req, res) => {
    const target = new URL(req.url!);
    requests.push({ method: req.method!, url: req.url!, headers: req.headers, body: '' });
    const [host, port] = route(target.host).split(':');
    const up = http.request({ host, port: Number(port), method: req.method, path: target.pathname + target.search, headers: req.headers }, (ur) => {
      res.writeHead(ur.statusCode!, ur.headers);
      ur.pipe(res);
    });
    up.on('error', () => res.destroy());
    req.pipe(up);
  });
  server.on('connect', (req: http.IncomingMessage, client: net.Socket, head: Buffer) => {
    connects.push(req.url!);
    const [host, port] = route(req.url!).split(':');
    const up = net.connect(Number(port), host, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      up.write(head);
      up.pipe(client);
      client.pipe(up);
    });
    up.on('error', () => client.destroy());
    client.on('error', () => up.destroy());
  });
  const s = await listen(server, 'http', requests);
  return Object.assign(s, { connects });
}
