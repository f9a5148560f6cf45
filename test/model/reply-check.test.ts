import { describe, expect, it } from 'vitest';
import { validateFlow } from '../../core/model/validate';

const flow = (nodes: object[], edges: Array<[string, string]>) => ({
  formatVersion: 1,
  id: 'f',
  name: 'f',
  nodes,
  edges: edges.map(([source, target], i) => ({ id: `e${i}`, source, target })),
});
const hook = (id: string, responseMode?: string, path = `/${id}`) => ({ id, type: 'webhook', settings: { path, ...(responseMode ? { responseMode } : {}) } });
const respond = (id: string, name?: string) => ({ id, type: 'respond', ...(name ? { name } : {}), settings: {} });
const warnings = (f: object) => validateFlow(f).problems.filter((p) => p.code === 'respond_unanswered');

describe('a Respond node nobody waits for', () => {
  it('after a webhook that acknowledges at once: a warning on its Response setting that names the Respond node', () => {
    const p = warnings(flow([hook('hook'), { id: 'log', type: 'log', settings: {} }, respond('reply', 'Answer')], [['hook', 'log'], ['log', 'reply']]));
    expect(p).toEqual([
      {
        path: 'nodes[0].settings.responseMode',
        code: 'respond_unanswered',
        severity: 'warning',
        nodeId: 'hook',
        message: 'Acknowledge at once answers the caller with 202 before the flow runs, so the Respond node "Answer" after it answers no one; choose Request-Response (wait for the flow) to answer with it',
      },
    ]);
    // A warning: the flow still deploys.
    expect(validateFlow(flow([hook('hook'), respond('reply')], [['hook', 'reply']])).problems.filter((x) => x.severity !== 'warning')).toEqual([]);
  });

  it('none with Request-Response, or when another trigger that waits (a Manual run) leads to it too', () => {
    expect(warnings(flow([hook('hook', 'requestResponse'), respond('reply')], [['hook', 'reply']]))).toEqual([]);
    expect(warnings(flow([hook('a'), hook('b', 'requestResponse'), respond('reply')], [['a', 'reply'], ['b', 'reply']]))).toEqual([]);
    expect(warnings(flow([hook('a'), { id: 'm', type: 'manual', settings: {} }, respond('reply')], [['a', 'reply'], ['m', 'reply']]))).toEqual([]);
  });

  it('none for a disabled Respond, a webhook without one, or a Respond on the error path only', () => {
    expect(warnings(flow([hook('hook'), { ...respond('reply'), disabled: true }], [['hook', 'reply']]))).toEqual([]);
    expect(warnings(flow([hook('hook'), { id: 'log', type: 'log', settings: {} }], [['hook', 'log']]))).toEqual([]);
    expect(warnings(flow([hook('hook'), { id: 'err', type: 'error-trigger', settings: {} }, respond('reply')], [['err', 'reply']]))).toEqual([]);
  });

  it('names every Respond node after it (plural)', () => {
    const [p] = warnings(flow([hook('hook'), respond('ok'), respond('no')], [['hook', 'ok'], ['hook', 'no']]));
    expect(p.message).toMatch(/^Acknowledge at once .*the Respond nodes "ok", "no" after it answer no one; .* to answer with them$/);
  });
});
