import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRuntime, type Runtime, type RuntimeOptions } from '../../core/runtime/runtime';
import { MemorySecretStore } from '../../core/secrets/secret-store';
import type { FlowInput } from '../../core/model/flow';
import type { RunEvent } from '../../core/runtime/events';

export function tempDir(prefix = 'hookline-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export interface TestRuntime {
  rt: Runtime;
  dataDir: string;
  secrets: MemorySecretStore;
  events: RunEvent[];
  url(p: string): string;
  stop(): Promise<void>;
}

/** A real runtime on 127.0.0.1:0 with a fresh data directory. */
export async function startRuntime(opts: Partial<RuntimeOptions> & { secretValues?: Record<string, string> } = {}): Promise<TestRuntime> {
  const dataDir = opts.dataDir ?? tempDir();
  const secrets = new MemorySecretStore(opts.secretValues ?? {});
  const rt = createRuntime({ dataDir, port: 0, secrets, synchronous: 'NORMAL', ...opts });
  const events: RunEvent[] = [];
  rt.onEvent((e) => events.push(e));
  await rt.start();
  let stopped = false;
  return {
    rt,
    dataDir,
    secrets,
    events,
    url: (p) => rt.baseUrl + p,
    async stop() {
      if (stopped) return;
      stopped = true;
      await rt.stop(2000);
    },
  };
}

let n = 0;
/** A flow with a webhook trigger wired to the given nodes in a chain. */
export function chainFlow(webhook: Record<string, unknown>, nodes: Array<{ type: string; settings?: Record<string, unknown>; onError?: 'stop' | 'continue' | 'route'; id?: string }>, extra: Partial<FlowInput> = {}): FlowInput {
  const id = extra.id ?? `flow-${++n}`;
  const all = [{ id: 'hook', type: 'webhook', settings: webhook }, ...nodes.map((x, i) => ({ id: x.id ?? `n${i + 1}`, type: x.type, settings: x.settings ?? {}, onError: x.onError }))];
  const edges = all.slice(1).map((node, i) => ({ id: `e${i}`, source: all[i].id, target: node.id }));
  return { formatVersion: 1, id, name: id, nodes: all as any, edges, ...extra };
}

export async function send(url: string, init: { method?: string; headers?: Record<string, string>; body?: string | Buffer } = {}) {
  const res = await fetch(url, { method: init.method ?? 'POST', headers: init.headers, body: init.body as any });
  const text = await res.text();
  let json: any;
  try {
    json = JSON.parse(text);
  } catch {}
  return { status: res.status, headers: res.headers, text, json };
}

/** Polls until `check` returns a truthy value or the bounded number of tries runs out. */
export async function waitFor<T>(check: () => T | Promise<T>, { tries = 200, intervalMs = 20 } = {}): Promise<NonNullable<T>> {
  for (let i = 0; i < tries; i++) {
    const v = await check();
    if (v) return v as NonNullable<T>;
    await new Promise((r) => setTimeout(r, intervalMs));
  }
  throw new Error(`condition not met after ${tries} tries`);
}
