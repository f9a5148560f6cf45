import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkFlow } from '../../core/bundle/check';
import { EXAMPLE_ENVIRONMENTS, EXAMPLE_FLOWS_DIR } from '../../core/host/studio';
import { send, startRuntime, type TestRuntime } from '../helpers/runtime';

const read = (name: string) => JSON.parse(fs.readFileSync(path.join(EXAMPLE_FLOWS_DIR, name), 'utf8'));

describe('the example flows the studio starts with', () => {
  let t: TestRuntime;
  beforeAll(async () => {
    t = await startRuntime();
  });
  afterAll(() => t.stop());

  it('every one is valid (templates and expressions compiled too), with a sample', async () => {
    const files = fs.readdirSync(EXAMPLE_FLOWS_DIR).filter((f) => f.endsWith('.json'));
    expect(files).toEqual(expect.arrayContaining(['hello.flow.json', 'order-to-erp.flow.json', 'mock-erp.flow.json']));
    for (const f of files) {
      const flow = read(f);
      expect(await checkFlow(flow), f).toEqual([]);
      expect(flow.sample, f).toBeDefined();
    }
  });

  it('Order to ERP posts the XML order to Mock ERP and answers with its order number', async () => {
    const order = read('order-to-erp.flow.json');
    const local = JSON.parse(fs.readFileSync(EXAMPLE_ENVIRONMENTS, 'utf8'))[0];
    expect(local.variables).toMatchObject([{ name: 'ERP_URL', value: 'http://127.0.0.1:8080/example/mock-erp' }]);
    // The studio starts with this environment active; this test's runtime has a port of its own.
    await t.rt.setEnv({ ERP_URL: local.variables[0].value.replace('http://127.0.0.1:8080', t.rt.baseUrl) });
    await t.rt.deploy(read('mock-erp.flow.json'));
    await t.rt.deploy(order);
    const body = order.sample.trigger.body;
    const res = await send(t.url('/example/order'), { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ orderId: 'SO-100001', erpOrderNo: 'ERP-SO-100001', total: 1058.8 });
  });

  it("each node's preview on the sample reaches the ERP call with the XML it will send", async () => {
    const order = read('order-to-erp.flow.json');
    const p = await t.rt.preview(order, order.sample);
    expect(p.nodes.erp.status).toBe('not-run');
    expect(p.nodes.erp.input.data).toContain('<Line no="2" sku="B&amp;O-H95" qty="1" price="799"/>');
    expect(p.nodes.erp.input.data).toContain('<Total currency="EUR">1058.8</Total>');
    const mock = read('mock-erp.flow.json');
    const reply = (await t.rt.preview(mock, mock.sample)).nodes.reply;
    expect(reply.status).toBe('ran');
    expect(reply.input.data).toMatchObject({ ErpOrder: { '@_id': 'SO-100001' } });
  });
});
