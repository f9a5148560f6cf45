/**
 * Paired A/B of two checkouts in one process, for changes too small for `npm run bench` to tell apart (single
 * runs on a shared 2-core machine vary by ±15 %). Both versions are loaded side by side and take turns in
 * rounds; the figure is the median of the per-round ratios, so a slow phase of the machine hits both alike.
 *
 *   git worktree add /tmp/base <commit> && ln -s "$PWD/node_modules" /tmp/base/node_modules
 *   BASE=/tmp/base node --import tsx test/bench/ab.ts node    # Web Integration node, CPU per request against a local sink
 *   BASE=/tmp/base node --import tsx test/bench/ab.ts store   # store main-thread time per relay execution (DIAG=metadata too)
 */
import { spawn } from 'node:child_process';
import { setMaxListeners } from 'node:events';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { buildErpXml, itscopeEvent } from './lib/erp-xml';

const base = process.env.BASE;
const which = process.argv[2];
if (!base || !['node', 'store'].includes(which ?? '')) {
  console.error('usage: BASE=<other checkout> node --import tsx test/bench/ab.ts node|store');
  process.exit(2);
}
const here = path.resolve(import.meta.dirname, '../..');
const load = (root: string, rel: string) => import(pathToFileURL(path.join(root, rel)).href);
const ROUNDS = 21;
const median = (v: number[]) => [...v].sort((a, b) => a - b)[v.length >> 1];

/** One case per version: a function that runs `n` iterations and returns microseconds per iteration. */
type Case = (n: number) => Promise<number>;

async function nodeCase(root: string, url: string): Promise<Case> {
  const { httpRequestRunner } = await load(root, 'core/nodes/http-request/run.ts');
  const { httpRequestSettingsSchema } = await load(root, 'core/nodes/http-request/spec.ts');
  const { MemorySecretStore } = await load(root, 'core/secrets/secret-store.ts');
  const settings = httpRequestSettingsSchema.parse({ method: 'POST', url, contentType: 'text/plain', body: '{{ data }}', headers: [{ name: 'Content-Type', value: 'application/xml' }], output: 'body' });
  const secrets = new MemorySecretStore({});
  const logger = { debug() {}, info() {}, warn() {}, error() {} };
  const node = { id: 'n2', type: 'http-request' };
  // Full diagnostics (the default): the node keeps the HTTP traffic for the execution record.
  const flow = { id: `ab-${root.length}`, settings: { diagnostics: 'full' } };
  const connections = { get: () => undefined };
  const prepared = httpRequestRunner.prepare(settings, { flow, node, path: 'nodes[2].settings', env: {}, secrets, connections, logger });
  const signal = new AbortController().signal;
  setMaxListeners(0, signal); // 16 requests in flight listen to it, as to the runtime's own signal
  const message = { trigger: { type: 'webhook' }, data: buildErpXml(itscopeEvent(1)), vars: {} };
  const ctx = { settings, prepared, node, flow, executionId: 'e', env: {}, secrets, connections, logger, signal, respond() {}, emit() {} };
  return async (n) => {
    let i = 0;
    const c0 = process.cpuUsage();
    await Promise.all(Array.from({ length: 16 }, async () => {
      while (i++ < n) await httpRequestRunner.run(message, ctx);
    }));
    const c = process.cpuUsage(c0);
    return (c.user + c.system) / n;
  };
}

async function storeCase(root: string): Promise<Case> {
  const { openSqliteStore } = await load(root, 'core/store/sqlite-store.ts');
  const { noteBodyParsedFromRaw } = await load(root, 'core/model/raw-body.ts');
  const diagnostics = process.env.DIAG === 'metadata' ? 'metadata' : 'full';
  const store = openSqliteStore(path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'hl-ab-')), 'h.db'), { synchronous: 'NORMAL' });
  const raws = Array.from({ length: 64 }, (_, i) => Buffer.from(JSON.stringify(itscopeEvent(i))));
  const xmls = Array.from({ length: 64 }, (_, i) => buildErpXml(itscopeEvent(i)));
  return async (n) => {
    let ns = 0n;
    for (let i = 0; i < n; i++) {
      // What a relay execution records: the webhook's message, the template's XML, the partner's answer.
      const raw = raws[i & 63];
      const body = JSON.parse(raw.toString());
      const headers = { host: '127.0.0.1:1234', connection: 'keep-alive', 'content-type': 'application/json', 'content-length': String(raw.length) };
      const trigger = { type: 'webhook', nodeId: 'hook', method: 'POST', path: '/relay', params: {}, query: {}, headers, body, rawBody: raw.toString('base64'), contentType: 'application/json', receivedAt: new Date().toISOString() };
      noteBodyParsedFromRaw(trigger, raw);
      const m0 = { trigger, data: body, vars: {} };
      const m1 = { ...m0, data: xmls[i & 63] };
      const m2 = { ...m1, data: { accepted: true, id: `X-${i}` } };
      const at = new Date().toISOString();
      const attempts = [{ attempt: 1, startedAt: at, durationMs: 3, method: 'POST', url: 'http://127.0.0.1:4000/erp', redirects: [], status: 200, timings: { totalMs: 2.5, reusedSocket: true, firstByteMs: 2.4 } }];
      const id = `ab-${process.hrtime.bigint()}-${i}`;
      const step = (index: number, nodeId: string, nodeType: string, input: unknown, output: unknown, extra = {}) => ({ executionId: id, index, nodeId, nodeType, status: 'succeeded', startedAt: at, durationMs: 0.5, input, output, port: 'out', ...extra });
      const t0 = process.hrtime.bigint();
      store.record({ id, flowId: 'relay', flowRevision: 1, triggerNodeId: 'hook', status: 'running', queuedAt: Date.now(), diagnostics, input: m0 });
      // The third argument is where the executor says each input came from (older stores ignore it).
      store.recordStep(step(0, 'hook', 'webhook', m0, m0), diagnostics, -1);
      store.recordStep(step(1, 'n1', 'template', m0, m1), diagnostics, 0);
      store.recordStep(step(2, 'n2', 'http-request', m1, m2, { attempts }), diagnostics, 1);
      store.recordStep(step(3, 'n3', 'respond', m2, m2), diagnostics, 2);
      store.finish(id, { status: 'succeeded', finishedAt: Date.now(), output: m2.data }, diagnostics);
      // About one batch per 70 executions, as under load; its synchronous part (serialise, hand over) is timed.
      const sent = i % 70 === 69 ? store.flush() : undefined;
      ns += process.hrtime.bigint() - t0;
      if (sent) await sent;
    }
    await store.flush();
    return Number(ns) / 1000 / n;
  };
}

let sink: ReturnType<typeof spawn> | undefined;
let url = '';
if (which === 'node') {
  const code = `const s=require('http').createServer((q,r)=>{q.resume();q.on('end',()=>{const b='{"accepted":true,"id":"X-1"}';r.writeHead(200,{'content-type':'application/json','content-length':b.length});r.end(b)})});s.listen(0,'127.0.0.1',()=>console.log(s.address().port))`;
  sink = spawn(process.execPath, ['-e', code], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<number>((r) => sink!.stdout!.once('data', (d) => r(Number(String(d).trim()))));
  url = `http://127.0.0.1:${port}/erp`;
}
try {
  const cases: Array<[string, Case]> =
    which === 'node'
      ? [['base', await nodeCase(base, url)], ['this', await nodeCase(here, url)]]
      : [['base', await storeCase(base)], ['this', await storeCase(here)]];
  const n = which === 'node' ? 3000 : 2000;
  const got: Record<string, number[]> = { base: [], this: [] };
  for (let round = 0; round < ROUNDS; round++) {
    for (const [name, run] of round % 2 ? [...cases].reverse() : cases) {
      const v = await run(n);
      if (round >= 3) got[name].push(v); // the first rounds warm up both
    }
  }
  const ratio = median(got.this.map((v, i) => v / got.base[i]));
  const what = which === 'node' ? 'Web Integration node, µs CPU per request' : `store main thread per relay execution (${process.env.DIAG ?? 'full'}), µs`;
  console.log(`${what}: base ${median(got.base).toFixed(1)}, this ${median(got.this).toFixed(1)}; this/base ${ratio.toFixed(3)} (median of ${got.base.length} paired rounds)`);
} finally {
  sink?.kill();
}
process.exit(0);
