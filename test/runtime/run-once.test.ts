import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { chainFlow, startRuntime, type TestRuntime } from '../helpers/runtime';

let t: TestRuntime;
beforeEach(async () => {
  t = await startRuntime();
});
afterEach(() => t.stop());

describe('runOnce (manual runs with a sample input)', () => {
  it('runs an undeployed flow with a body as input, records it and returns every step and the reply', async () => {
    const f = chainFlow({ path: '/x', responseMode: 'requestResponse' }, [{ type: 'log' }, { type: 'respond', settings: { status: 201 } }]);
    const r = await t.rt.runOnce(f, { orderId: 'A1' });
    expect(r.status).toBe('succeeded');
    expect(r.steps.map((s) => s.nodeId)).toEqual(['hook', 'n1', 'n2']);
    expect(r.reply).toMatchObject({ status: 201, body: JSON.stringify({ orderId: 'A1' }) });
    expect(t.rt.isDeployed(f.id!)).toBe(false);
    expect((await t.rt.store.getExecution(r.id))!.status).toBe('succeeded');
    // Like a triggered run: started, each step, finished (the studio resets the last run's marks on "started").
    const mine = t.events.filter((e) => 'executionId' in e && e.executionId === r.id).map((e) => e.type);
    expect(mine).toEqual(['execution.started', 'step.finished', 'step.finished', 'step.finished', 'execution.finished']);
  });

  it('accepts a whole message and reports failures with the failing node', async () => {
    const f = chainFlow({}, [{ type: 'log', settings: { value: '$error("bad " & trigger.query.q)' } }]);
    const r = await t.rt.runOnce(f, { trigger: { query: { q: 'input' } }, data: {} });
    expect(r.status).toBe('failed');
    expect(r.error).toMatchObject({ nodeId: 'n1' });
    expect(r.error!.message).toContain('bad input');
  });

  it('a webhook sample without a query parameter gets its default, as a live request does', async () => {
    const f = chainFlow({ path: '/c', queryParams: [{ name: 'customerid', required: true }, { name: 'customername', default: 'TheCompany' }, { name: 'page', default: '1' }] }, [
      { type: 'respond', settings: { bodyMode: 'template', templateKind: 'json', template: '{ "q": {{ trigger.query }} }' } },
    ]);
    const r = await t.rt.runOnce(f, { trigger: { query: { customerid: '7', page: '' } }, data: {} });
    expect(JSON.parse(r.reply!.body as string)).toEqual({ q: { customerid: '7', customername: 'TheCompany', page: '1' } });
    const bare = await t.rt.runOnce(f, { orderId: 'A1' });
    expect(JSON.parse(bare.reply!.body as string)).toEqual({ q: { customername: 'TheCompany', page: '1' } });
  });

  it('refuses a flow with problems', async () => {
    await expect(t.rt.runOnce(chainFlow({}, [{ type: 'nope' }]), {})).rejects.toThrow(/unknown node type "nope"/);
  });
});
