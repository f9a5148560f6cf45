import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../core/store/sqlite-store';
import { createWriter } from '../../core/store/sqlite-writer';
import { Spool, unspool } from '../../core/store/spool';
import { tempDir } from '../helpers/runtime';
import { closeStoresAfterEach, rec, stores } from './store-helpers';

closeStoresAfterEach();

const odd = 'caf\u00e9 \u2713 \ud83d\ude00 "quoted" \\ \n';
const allBytes = Buffer.from(Array.from({ length: 256 }, (_, i) => i));

describe('spool', () => {
  it('gives back text (UTF-8, any character), bytes and pieced spans as written, across growth and take()', () => {
    const spool = new Spool();
    const big = odd.repeat(20_000); // far beyond the first buffer: it grows by copying
    const a = spool.text(odd);
    const b = spool.bytes(allBytes);
    const c = spool.text(big);
    const p = spool.piece();
    p.text('[');
    p.bytes(Buffer.from(odd));
    p.text(',"x",');
    p.text(JSON.stringify(big)); // large text goes in as it is, between the small pieces gathered around it
    p.text(']');
    const d = p.end();
    const data = spool.take();
    const view = Buffer.from(data.buffer!);
    expect(unspool(view, data.spans, a, false)).toBe(odd);
    expect(Buffer.compare(unspool(view, data.spans, b, true) as Buffer, allBytes)).toBe(0);
    expect(unspool(view, data.spans, c, false)).toBe(big);
    expect(unspool(view, data.spans, d, false)).toBe(`[${odd},"x",${JSON.stringify(big)}]`);
    // A new batch starts its own spool: spans count from 0 again, and nothing of the last one is left.
    expect(spool.take()).toEqual({ spans: [] });
    const e = spool.text('next');
    const next = spool.take();
    expect(e).toBe(0);
    expect(unspool(Buffer.from(next.buffer!), next.spans, e, false)).toBe('next');
  });

  for (const mode of ['worker', 'inline'] as const) {
    it(`the ${mode} writer binds spooled text as TEXT and spooled bytes as a BLOB, the rest as given`, async () => {
      const file = path.join(tempDir(), `${mode}.db`);
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const Database = require('better-sqlite3');
      const db = new Database(file);
      db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, b BLOB, s TEXT, n INTEGER)');
      const w = await createWriter(file, [{ sql: 'INSERT INTO t (b, s, n) VALUES (?, ?, ?)', params: 3, returns: 'rowid', spooled: [0, 1], blobs: [0] }], db, mode);
      const spool = new Spool();
      const batch = [0, spool.bytes(allBytes), spool.text(odd), 7, 0, null, 'plain text', 8];
      const data = spool.take();
      expect(await w.run(batch, false, data)).toEqual([1, 2]);
      if (mode === 'worker') expect(data.buffer!.byteLength).toBe(0); // transferred, not copied
      await w.close();
      const rows = db.prepare('SELECT b, s, n, typeof(s) AS ts FROM t ORDER BY id').all();
      db.close();
      expect(Buffer.compare(rows[0].b, allBytes)).toBe(0);
      expect(rows[0]).toMatchObject({ s: odd, n: 7, ts: 'text' });
      expect(rows[1]).toMatchObject({ b: null, s: 'plain text', n: 8 });
    });
  }

  it('keeps every execution its own payloads when many finish across batches (spans never cross batches)', async () => {
    for (const writer of ['worker', 'inline'] as const) {
      const s = openSqliteStore(path.join(tempDir(), `many-${writer}.db`), { synchronous: 'NORMAL', writer });
      stores.push(s);
      const ids: string[] = [];
      for (let i = 0; i < 40; i++) {
        const r = rec({ status: 'running' });
        ids.push(r.id);
        s.record(r);
        const output = { data: `${odd}${i}`.repeat(30 + i), vars: {} };
        s.recordStep({ executionId: r.id, index: 0, nodeId: 'n', nodeType: 'set', status: 'succeeded', startedAt: 'x', durationMs: 1, input: r.input, output }, 'full', -1);
        s.finish(r.id, { status: 'succeeded', finishedAt: i, output: output.data }, 'full');
        // Some batches go while others are still being filled.
        if (i % 7 === 3) await s.flush();
      }
      // Accepted messages with metadata diagnostics: the input is serialised only as the batch goes (it is kept
      // because the run failed), so it is spooled then.
      const lazy: Array<{ id: string; input: unknown }> = [];
      for (let i = 0; i < 5; i++) {
        const r = rec({ diagnostics: 'metadata', input: { trigger: { type: 'webhook', nodeId: 'h', query: {}, headers: {}, body: odd.repeat(40 + i), receivedAt: '' }, data: odd.repeat(40 + i), vars: {} } as never });
        const accepted = s.accept(r);
        s.finish(r.id, { status: 'failed', finishedAt: i, error: { message: 'x' } }, 'metadata');
        await accepted;
        lazy.push({ id: r.id, input: r.input });
      }
      for (let i = 0; i < ids.length; i++) {
        const e = (await s.getExecution(ids[i]))!;
        expect(e.output).toBe(`${odd}${i}`.repeat(30 + i));
        expect(e.steps[0].output).toMatchObject({ data: `${odd}${i}`.repeat(30 + i) });
      }
      for (const l of lazy) expect((await s.getInput(l.id))!.input).toEqual(l.input);
    }
  });
});
