import { describe, expect, it } from 'vitest';
import { readInlineSteps } from '../../core/store/inline-steps';
import { inlineStepsJson, packSteps } from '../../core/store/inline-steps-json.cjs';

const inlineSteps = (steps: Array<Record<string, unknown>>) => inlineStepsJson(packSteps(steps));

const step = (over: Record<string, unknown>) => ({
  index: 0,
  nodeId: 'n1',
  nodeType: 'template',
  status: 'succeeded',
  startedAt: '2026-12-01T22:31:43.202Z',
  durationMs: 0.25,
  port: 'out',
  ...over,
});

describe('inline steps', () => {
  it('reads back what it wrote, names and ports that need escaping included', () => {
    const odd = 'a "quoted"\\ name\n\u2028é';
    const written = [
      step({ nodeId: odd, nodeType: 'set', port: `err"${odd}`, input: '{"data":1}', output: '{"data":2}', error: '{"message":"x"}', attempts: '[{"attempt":1}]' }),
      step({ index: 1, nodeId: 'n1', status: odd, startedAt: odd, inputRef: 0, outputSame: 1, port: null }),
      step({ index: 2, durationMs: Number.NaN }),
    ];
    const text = inlineSteps(written);
    const [a, b, c] = readInlineSteps('e1', text);
    expect(a).toMatchObject({ idx: 0, node_id: odd, node_type: 'set', port: `err"${odd}`, input: { data: 1 }, output: { data: 2 }, error: { message: 'x' }, attempts: [{ attempt: 1 }], duration_ms: 0.25 });
    expect(b).toMatchObject({ idx: 1, node_id: 'n1', status: odd, started_at: odd, input_ref: 0, output_same: 1, port: null });
    expect(c.duration_ms).toBeNull();
  });

  it('packs only what a step has, and every combination reads back', () => {
    const steps = [
      step({ index: 0, port: 'out', inputRef: -1, outputSame: 1 }),
      step({ index: 1, nodeId: 'n\u0000odd', status: 'failed', port: 'error', error: '{"message":"x"}', attempts: '[{"attempt":1}]', input: '{"data":1}' }),
      step({ index: 2, port: null, output: ['{"data":', 'long "text"', ',"vars":{}}'] }),
      step({ index: 3, port: 'out', output: '{"data":2}', outputSame: 0 }),
    ];
    const packed = packSteps(steps);
    // Five values per step, plus what the flags announce: here 1, 5 (status, port, input, error, attempts), 1, 1.
    expect(packed.length).toBe(4 * 5 + 1 + 5 + 1 + 1);
    const back = readInlineSteps('e', inlineStepsJson(packed));
    expect(back.map((b) => [b.idx, b.node_id, b.status, b.port, b.input_ref, b.input, b.output, b.output_same, b.error, b.attempts])).toEqual([
      [0, 'n1', 'succeeded', 'out', -1, undefined, undefined, 1, undefined, undefined],
      [1, 'n\u0000odd', 'failed', 'error', null, { data: 1 }, undefined, 0, { message: 'x' }, [{ attempt: 1 }]],
      [2, 'n1', 'succeeded', null, null, undefined, { data: 'long "text"', vars: {} }, 0, undefined, undefined],
      [3, 'n1', 'succeeded', 'out', null, undefined, { data: 2 }, 0, undefined, undefined],
    ]);
  });

  it('writes the same values as JSON.stringify would, and an empty list as []', () => {
    const p = step({ durationMs: 1.9158470000002126, inputRef: -1 });
    expect(JSON.parse(inlineSteps([p]))).toEqual([{ i: 0, n: 'n1', t: 'template', s: 'succeeded', at: p.startedAt, d: p.durationMs, p: 'out', r: -1 }]);
    expect(inlineSteps([])).toBe('[]');
  });
});
