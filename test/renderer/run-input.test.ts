import { describe, expect, it } from 'vitest';
import { flowSchema } from '../../core/model/flow';
import { NOTHING_TO_RUN, runInputFor } from '../../renderer/inspector/run-input';

const flow = (nodes: object[], sample?: unknown) => flowSchema.parse({ formatVersion: 1, id: 'f', name: 'f', nodes, ...(sample === undefined ? {} : { sample }) });
const hook = { id: 'hook', type: 'webhook', settings: { path: '/x' } };
const lastRequest = { trigger: { type: 'webhook', nodeId: 'hook', body: { orderId: 'A-9' }, query: {}, headers: {} }, data: { orderId: 'A-9' }, vars: {} };

describe('runInputFor: what Run with sample starts a run with', () => {
  it('leaves it to the runtime when something is pinned (the flow sample, a Manual sample, a Schedule tick)', () => {
    expect(runInputFor(flow([hook], { orderId: 'A-1' }), 'hook', lastRequest)).toEqual({});
    expect(runInputFor(flow([{ id: 'm', type: 'manual', settings: { sample: { a: 1 } } }]), undefined, undefined)).toEqual({});
    expect(runInputFor(flow([{ id: 't', type: 'schedule', settings: {} }]), 't', undefined)).toEqual({});
  });

  it("at a webhook with nothing pinned: the latest run's request at that webhook, else a message instead of a run on null", () => {
    expect(runInputFor(flow([hook]), 'hook', lastRequest)).toEqual({ input: lastRequest });
    expect(runInputFor(flow([hook]), 'hook', undefined)).toEqual({ missing: NOTHING_TO_RUN });
    // A request that came in at another webhook is not this one's.
    expect(runInputFor(flow([hook, { id: 'other', type: 'webhook', settings: { path: '/y' } }]), 'other', lastRequest)).toEqual({ missing: NOTHING_TO_RUN });
  });

  it('a Manual trigger without a sample runs on null, as hookline exec does', () => {
    expect(runInputFor(flow([{ id: 'm', type: 'manual', settings: {} }]), 'm', undefined)).toEqual({});
  });
});
