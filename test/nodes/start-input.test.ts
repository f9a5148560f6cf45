import { describe, expect, it } from 'vitest';
import { defaultRunInput, pinnedRunInput, startTrigger } from '../../core/nodes/start-input';

const node = (id: string, type: string, settings: object = {}, disabled?: boolean) => ({ id, type, settings, disabled });

describe('startTrigger: where a run or preview without a named trigger starts', () => {
  it('prefers a Manual trigger, then a Webhook (a pinned sample is a request body), then the first trigger; never On error', () => {
    expect(startTrigger([node('t', 'schedule'), node('h', 'webhook'), node('m', 'manual')])?.id).toBe('m');
    expect(startTrigger([node('t', 'schedule'), node('h', 'webhook')])?.id).toBe('h');
    expect(startTrigger([node('e', 'error-trigger'), node('t', 'schedule'), node('l', 'log')])?.id).toBe('t');
    expect(startTrigger([node('e', 'error-trigger'), node('l', 'log')])).toBeUndefined();
  });

  it('takes the trigger named, and nothing for a name not in the flow', () => {
    expect(startTrigger([node('t', 'schedule'), node('h', 'webhook')], 't')?.id).toBe('t');
    expect(startTrigger([node('t', 'schedule')], 'gone')).toBeUndefined();
  });
});

describe('pinnedRunInput / defaultRunInput: what a run started without an input begins with', () => {
  it('a Schedule start gets a tick made now, shaped as a real tick: { scheduledAt, firedAt } as data and body', () => {
    const at = Date.parse('2026-12-03T02:00:00.000Z');
    const tick = pinnedRunInput({ nodes: [node('nightly', 'schedule'), node('l', 'log')], sample: { orderId: 'A-1' } }, undefined, at);
    expect(tick).toEqual({
      trigger: { type: 'schedule', nodeId: 'nightly', query: {}, headers: {}, body: { scheduledAt: '2026-12-03T02:00:00.000Z', firedAt: '2026-12-03T02:00:00.000Z' }, receivedAt: '2026-12-03T02:00:00.000Z' },
      data: { scheduledAt: '2026-12-03T02:00:00.000Z', firedAt: '2026-12-03T02:00:00.000Z' },
      vars: {},
    });
    const before = Date.now();
    const made = defaultRunInput({ nodes: [node('nightly', 'schedule')] }) as { data: { scheduledAt: string } };
    expect(Date.parse(made.data.scheduledAt)).toBeGreaterThanOrEqual(before - 1);
    expect(Date.parse(made.data.scheduledAt)).toBeLessThanOrEqual(Date.now());
  });

  it('a Webhook start gets the pinned sample even when a Schedule comes first; a Manual one its own sample first', () => {
    const flow = { nodes: [node('t', 'schedule'), node('h', 'webhook')], sample: { orderId: 'A-1' } };
    expect(pinnedRunInput(flow)).toEqual({ orderId: 'A-1' });
    expect((pinnedRunInput(flow, 't') as { trigger: { nodeId: string } }).trigger.nodeId).toBe('t');
    expect(pinnedRunInput({ nodes: [node('m', 'manual', { sample: { a: 1 } })], sample: { b: 2 } })).toEqual({ a: 1 });
    expect(pinnedRunInput({ nodes: [node('m', 'manual')], sample: { b: 2 } })).toEqual({ b: 2 });
  });

  it('a disabled Schedule is not the start; nothing pinned is undefined (null for a run)', () => {
    const flow = { nodes: [node('t', 'schedule', {}, true), node('h', 'webhook')] };
    expect(pinnedRunInput(flow)).toBeUndefined();
    expect(defaultRunInput(flow)).toBeNull();
    expect(defaultRunInput(null)).toBeNull();
    expect(defaultRunInput({ nodes: 'not a list' })).toBeNull();
  });
});
