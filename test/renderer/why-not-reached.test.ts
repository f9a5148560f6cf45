import { describe, expect, it } from 'vitest';
import type { FlowPreview } from '../../core/host/api';
import type { Flow } from '../../core/model/flow';
import { whyNotReached } from '../../renderer/inspector/use-preview';

const node = (id: string, type: string, name?: string) => ({ id, type, name, settings: {}, position: { x: 0, y: 0 } });
const flow = {
  id: 'f',
  name: 'F',
  nodes: [node('hook', 'webhook'), node('cond', 'condition'), node('yes', 'log'), node('no', 'log'), node('call', 'http-request', 'ERP call'), node('after', 'log'), node('loose', 'publish-event'), node('tick', 'schedule')],
  edges: [
    { id: 'e1', source: 'hook', target: 'cond' },
    { id: 'e2', source: 'cond', sourcePort: 'true', target: 'yes' },
    { id: 'e3', source: 'cond', sourcePort: 'false', target: 'no' },
    { id: 'e4', source: 'hook', target: 'call' },
    { id: 'e5', source: 'call', target: 'after' },
  ],
} as unknown as Flow;
const input = { trigger: { type: 'webhook' }, data: {}, vars: {} } as never;
const preview: FlowPreview = {
  triggerNodeId: 'hook',
  nodes: {
    hook: { input, status: 'ran', output: input },
    cond: { input, status: 'ran', port: 'true', output: [{ port: 'true', message: input }] },
    yes: { input, status: 'ran', output: input },
    call: { input, status: 'not-run', note: 'it calls out; run the flow once or pin an answer' },
  },
};

describe('why the sample does not reach a node (inspector)', () => {
  it('a node nothing leads to from a trigger says so, instead of blaming a branch', () => {
    expect(whyNotReached(preview, flow, 'loose')).toBe('The sample does not reach this node: no trigger leads to it yet (connect it into the flow).');
  });

  it('a second trigger gets no note: it takes no input, the sample enters at the other one', () => {
    expect(whyNotReached(preview, flow, 'tick')).toBeUndefined();
  });

  it('a node on the branch the sample did not take', () => {
    expect(whyNotReached(preview, flow, 'no')).toBe('The sample does not reach this node (it takes another branch).');
  });

  it('a node behind one the preview stopped at names that node and why', () => {
    expect(whyNotReached(preview, flow, 'after')).toBe('The preview stops at “ERP call”: it calls out; run the flow once or pin an answer.');
  });
});
