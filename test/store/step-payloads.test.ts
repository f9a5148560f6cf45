import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { payloadJson } from '../../core/store/inline-steps-json.cjs';
import { messageJson, messagePayload } from '../../core/store/record-codec';
import { openSqliteStore } from '../../core/store/sqlite-store';
import type { ExecutionStore, NewExecution } from '../../core/store/types';
import { tempDir } from '../helpers/runtime';

const stores: ExecutionStore[] = [];
afterEach(async () => {
  for (const s of stores.splice(0)) await s.close();
});
function open() {
  const s = openSqliteStore(path.join(tempDir(), 'x.db'), { synchronous: 'NORMAL' });
  stores.push(s);
  return { s };
}
let n = 0;
const rec = (over: Partial<NewExecution> = {}): NewExecution => ({
  id: `p${++n}`,
  flowId: 'f',
  flowRevision: 1,
  triggerNodeId: 'h',
  status: 'queued',
  queuedAt: Date.now(),
  diagnostics: 'full',
  input: { trigger: { type: 'webhook', nodeId: 'h', query: {}, headers: {}, body: { n }, receivedAt: '' }, data: { n }, vars: {} },
  ...over,
});

describe('step payloads with long text', () => {
  it('give the same JSON as messageJson, wherever data sits among the keys', () => {
    const long = `say "hi"\n${'é'.repeat(200)}`;
    const trigger = { type: 'webhook' };
    const messages = [
      { trigger, data: long, vars: {} },
      { vars: { a: 1 }, trigger, data: long },
      { trigger, vars: { a: 1 }, data: long, error: { message: 'x' }, skip: undefined },
      { data: long, trigger },
      { trigger, data: 'short', vars: {} },
    ];
    for (const m of messages) {
      const p = messagePayload(m)!;
      expect(payloadJson(p)).toBe(messageJson(m));
      if (m.data === long) expect(Array.isArray(p)).toBe(true);
    }
  });
});

describe('step payloads in the store', () => {
  it('long text data (escaped on the writer thread) reads back exactly, inline and as step rows', async () => {
    const { s } = open();
    const text = `<?xml version="1.0"?>\n<Note say="hi">a "quoted" \\ value\ttab \u2028 é ✓ ${'x'.repeat(200)}</Note>`;
    const run = async (afterRead: boolean) => {
      const r = rec({ status: 'running' });
      s.record(r);
      const msg = r.input;
      const rendered = { ...msg, data: text, extra: { n: 1 } };
      s.recordStep({ executionId: r.id, index: 0, nodeId: 'h', nodeType: 'webhook', status: 'succeeded', input: msg, output: msg, startedAt: '', durationMs: 1 }, 'full', -1);
      // A read writes what is held; later steps of the running execution are written as rows at once.
      if (afterRead) await s.getExecution(r.id);
      s.recordStep({ executionId: r.id, index: 1, nodeId: 't', nodeType: 'template', status: 'succeeded', input: msg, output: rendered, startedAt: '', durationMs: 1 }, 'full', 0);
      s.recordStep({ executionId: r.id, index: 2, nodeId: 'l', nodeType: 'log', status: 'succeeded', input: structuredClone(rendered), output: rendered, startedAt: '', durationMs: 1 }, 'full');
      s.finish(r.id, { status: 'succeeded', finishedAt: Date.now(), output: text }, 'full');
      const e = (await s.getExecution(r.id))!;
      expect(e.steps[1].output).toEqual(rendered);
      expect(e.steps[2].input).toEqual(rendered);
      expect(e.steps[2].output).toEqual(rendered);
      expect(e.output).toBe(text);
    };
    await run(false);
    await run(true);
  });
});
