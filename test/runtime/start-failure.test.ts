import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { createRuntime } from '../../core/runtime/runtime';
import { LOCK_FILE, StartupError } from '../../core/runtime/data-dir-lock';
import { MemorySecretStore } from '../../core/secrets/secret-store';
import { chainFlow, send, startRuntime, tempDir, waitFor } from '../helpers/runtime';

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c();
});

/** A port on 127.0.0.1 that something else listens on. */
async function busyPort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  closers.push(() => new Promise<void>((r) => s.close(() => r())));
  return (s.address() as net.AddressInfo).port;
}

const statusOf = (dataDir: string, id: string) => {
  const db = new Database(path.join(dataDir, 'executions.db'), { readonly: true });
  try {
    return (db.prepare('SELECT status FROM executions WHERE id = ?').get(id) as { status: string }).status;
  } finally {
    db.close();
  }
};

const queuedIn = (dataDir: string) => {
  const db = new Database(path.join(dataDir, 'executions.db'), { readonly: true });
  try {
    return db.prepare(`SELECT id, order_seq FROM executions WHERE status = 'queued' ORDER BY seq`).all();
  } finally {
    db.close();
  }
};

describe('a start that fails', () => {
  it('on a port in use: rejects naming host and port, changes no record, releases the data directory', async () => {
    // A data directory with an execution cut off by a stop (recorded interrupted, its message queued again in its
    // place) and one queued behind it.
    const dataDir = tempDir();
    const flow = chainFlow({ path: '/in', ordered: true }, [{ type: 'delay', settings: { ms: 5000 } }]);
    const first = await startRuntime({ dataDir });
    await first.rt.deploy(flow);
    const cut = (await send(first.url('/in'), { body: '{"n":1}', headers: { 'content-type': 'application/json' } })).json.executionId;
    await send(first.url('/in'), { body: '{"n":2}', headers: { 'content-type': 'application/json' } });
    await waitFor(() => first.events.some((e) => e.type === 'execution.started'));
    await first.rt.stop(50);
    expect(statusOf(dataDir, cut)).toBe('interrupted');
    const before = queuedIn(dataDir);
    expect(before).toHaveLength(2);

    const port = await busyPort();
    const rt = createRuntime({ dataDir, port, secrets: new MemorySecretStore({}), synchronous: 'NORMAL' });
    const err = await rt.start().then(
      () => undefined,
      (e: Error) => e,
    );
    expect(err).toBeInstanceOf(StartupError);
    expect(err!.message).toBe(`port ${port} on 127.0.0.1 is already in use`);
    // Nothing was recovered (the queued messages are as they were, to be run by a start that succeeds) and the
    // directory is free again.
    expect(statusOf(dataDir, cut)).toBe('interrupted');
    expect(queuedIn(dataDir)).toEqual(before);
    expect(fs.existsSync(path.join(dataDir, LOCK_FILE))).toBe(false);
    await rt.stop(0); // harmless after a failed start

    const again = await startRuntime({ dataDir });
    closers.push(() => again.stop());
    // The same flow, without the long wait (the queue runs with the version deployed now).
    await again.rt.deploy(chainFlow({ path: '/in', ordered: true }, [{ type: 'delay', settings: { ms: 1 } }], { id: flow.id }));
    expect(statusOf(dataDir, cut)).toBe('interrupted');
    await waitFor(async () => (await again.rt.store.listExecutions({ limit: 10, status: ['succeeded'] })).items.length === 2, { tries: 600 });
  }, 30_000);
});
