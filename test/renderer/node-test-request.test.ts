import { describe, expect, it } from 'vitest';
import { nodeTestRequest } from '../../renderer/inspector/curl';

/** "Send test request" builds the Web Integration node's request from its settings and the sample, as the runtime does. */
describe('nodeTestRequest', () => {
  const sample = { trigger: { method: 'POST' }, data: { id: 7, name: 'Ada "A"', lines: [1, 2] }, vars: { tenant: 't1' } };

  it('renders URL, headers, query and a JSON body (escaped for JSON) with the sample and vars.connection', async () => {
    const r = await nodeTestRequest(
      {
        method: 'POST',
        url: 'https://p.example/orders/{{data.id}}',
        headers: [{ name: 'X-Tenant', value: '{{vars.tenant}}' }, { name: '', value: 'ignored' }],
        query: [{ name: 'v', value: '2' }],
        contentType: 'application/json',
        body: '{"name": {{data.name}}, "by": {{vars.connection.requestor}}}',
      },
      sample,
      { requestor: 'HOOK01' },
    );
    expect(r).toEqual({
      method: 'POST',
      url: 'https://p.example/orders/7',
      headers: { 'X-Tenant': 't1' },
      query: { v: '2' },
      body: '{"name": "Ada \\"A\\"", "by": "HOOK01"}',
      contentType: 'application/json; charset=utf-8',
    });
  });

  it('form bodies: urlencoded and multipart fields; GET sends no body', async () => {
    const form = [{ name: 'who', value: '{{data.name}}' }];
    const enc = await nodeTestRequest({ method: 'POST', url: 'http://x/', contentType: 'application/x-www-form-urlencoded', form }, sample);
    expect(enc).toMatchObject({ body: 'who=Ada+%22A%22', contentType: 'application/x-www-form-urlencoded' });
    const mp = await nodeTestRequest({ method: 'PUT', url: 'http://x/', contentType: 'multipart/form-data', form }, sample);
    const boundary = /boundary=(.+)$/.exec(mp.contentType!)![1];
    expect(mp.body).toBe(`--${boundary}\r\nContent-Disposition: form-data; name="who"\r\n\r\nAda "A"\r\n--${boundary}--\r\n`);
    expect((await nodeTestRequest({ method: 'GET', url: 'http://x/', contentType: 'application/json', body: '{}' }, sample)).body).toBeUndefined();
  });

  it('refuses $env and the connection password, and names a broken template, by field', async () => {
    await expect(nodeTestRequest({ method: 'GET', url: '{{$env.PARTNER_URL}}/orders' }, sample)).rejects.toThrow('Target URL uses $env, which only the runtime knows');
    await expect(nodeTestRequest({ method: 'POST', url: 'http://x/', contentType: 'text/plain', body: 'pw={{vars.connection.password}}' }, sample)).rejects.toThrow('Request template uses vars.connection.password');
    await expect(nodeTestRequest({ method: 'GET', url: 'http://x/', headers: [{ name: 'X-A', value: '{{data.id' }] }, sample)).rejects.toThrow(/^Header X-A: /);
    await expect(nodeTestRequest({ method: 'GET', url: '' }, sample)).rejects.toThrow('Target URL: enter the URL');
  });
});
