import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { chainFlow, send, startRuntime, waitFor } from './runtime';

/** A URL on 127.0.0.1 where nothing listens (connection refused). */
async function closedUrl(): Promise<string> {
  const s = http.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return `http://127.0.0.1:${port}/sink`;
}

/** A data directory with an ordered line (partition "A") halted on a failed execution. */
export async function haltedLine() {
  const flow = chainFlow({ path: '/in', ordered: true, partitionKey: 'body.k' }, [{ type: 'http-request', settings: { method: 'POST', url: await closedUrl(), timeoutMs: 2000 } }]);
  const t = await startRuntime();
  await t.rt.deploy(flow);
  const failed = (await send(t.url('/in'), { body: '{"k":"A","n":1}', headers: { 'content-type': 'application/json' } })).json.executionId as string;
  const behind = (await send(t.url('/in'), { body: '{"k":"A","n":2}', headers: { 'content-type': 'application/json' } })).json.executionId as string;
  await waitFor(() => t.rt.queueDepths().some((q) => q.blocked === 1));
  await t.stop();
  return { flow, dataDir: t.dataDir, failed, behind };
}
