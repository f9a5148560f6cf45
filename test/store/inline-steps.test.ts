import { describe, expect, it } from 'vitest';
import { inlineSteps, readInlineSteps } from '../../core/store/inline-steps';

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

  it('writes the same values as JSON.stringify would, and an empty list as []', () => {
    const p = step({ durationMs: 1.9158470000002126, inputRef: -1 });
    expect(JSON.parse(inlineSteps([p]))).toEqual([{ i: 0, n: 'n1', t: 'template', s: 'succeeded', at: p.startedAt, d: p.durationMs, p: 'out', r: -1 }]);
    expect(inlineSteps([])).toBe('[]');
  });

  it('stores a duration of whole microseconds as an integer, and reads back the same number', () => {
    for (const durationMs of [0.636, 0, 12.001, 8, 1234.5]) {
      const text = inlineSteps([step({ durationMs })]);
      expect(JSON.parse(text)[0]).toMatchObject({ du: Math.round(durationMs * 1000) });
      expect(readInlineSteps('e1', text)[0].duration_ms).toBe(durationMs);
    }
    // Rows written before the integer form (or a finer duration) keep milliseconds under "d".
    expect(readInlineSteps('e1', '[{"i":0,"d":0.25}]')[0].duration_ms).toBe(0.25);
  });
});
