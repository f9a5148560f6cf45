import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProblemsError } from '../../core/model/problems';
import { validateSpec } from '../../core/nodes/validate/spec';
import { chainFlow, send, startRuntime, type TestRuntime } from '../helpers/runtime';

let t: TestRuntime;
beforeAll(async () => {
  t = await startRuntime();
});
afterAll(() => t.stop());

const schema = validateSpec.example!.schema as Record<string, unknown>;
let n = 0;
async function deployValidate(settings: Record<string, unknown>, onError?: 'route' | 'continue') {
  const path = `/v${++n}`;
  const id = `validate-${n}`;
  await t.rt.deploy({
    formatVersion: 1,
    id,
    name: id,
    nodes: [
      { id: 'hook', type: 'webhook', settings: { methods: ['POST'], path, responseMode: 'requestResponse' } },
      { id: 'check', type: 'validate', settings, onError },
      { id: 'ok', type: 'respond', settings: { status: 200, bodyMode: 'text', body: 'valid' } },
      { id: 'bad', type: 'respond', settings: { status: 422, bodyMode: 'data' } },
      { id: 'details', type: 'map', settings: { expression: 'error' } },
    ],
    edges: [
      { id: 'e1', source: 'hook', target: 'check' },
      { id: 'e2', source: 'check', target: 'ok' },
      // The error port exists only when the node routes errors.
      ...(onError === 'route' ? [{ id: 'e3', source: 'check', sourcePort: 'error', target: 'details' }] : []),
      { id: 'e4', source: 'details', target: 'bad' },
    ],
  });
  return { id, post: (body: unknown) => send(t.url(path), { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }) };
}

const invalid = { email: 'not-an-email', lines: [{ sku: 'A', qty: 0 }, { qty: 1.5, extra: true }] };

describe('Validate node', () => {
  it('passes a valid message on unchanged', async () => {
    const { post } = await deployValidate({ schema });
    const r = await post({ orderId: 'A1', email: 'a@b.de', lines: [{ sku: 'X', qty: 1 }] });
    expect(r.status).toBe(200);
    expect(r.text).toBe('valid');
  });

  it('request-response: 400 listing every violation with its path', async () => {
    const { post } = await deployValidate({ schema });
    const r = await post(invalid);
    expect(r.status).toBe(400);
    expect(r.json.error).toBe('validation_failed');
    const got = (r.json.details as Array<{ path: string; pointer: string; message: string; keyword: string }>).map((v) => [v.path, v.keyword]);
    expect(got).toEqual(
      expect.arrayContaining([
        ['orderId', 'required'],
        ['email', 'format'],
        ['lines[0].qty', 'minimum'],
        ['lines[1].sku', 'required'],
        ['lines[1].qty', 'type'],
      ]),
    );
    expect(got).toHaveLength(5);
    expect(r.json.details.find((v: any) => v.path === 'lines[0].qty')).toMatchObject({ pointer: '/lines/0/qty', message: 'must be >= 1' });
    expect(r.json.message).toMatch(/^5 validation errors: /);
    expect(r.json.message).toContain('orderId: is required');
  });

  it('onError route: the error output gets the violations in message.error.details', async () => {
    const { id, post } = await deployValidate({ schema }, 'route');
    const r = await post(invalid);
    expect(r.status).toBe(422);
    expect(r.json).toMatchObject({ code: 'validation_failed', nodeId: 'check', nodeType: 'validate' });
    expect(r.json.details.map((v: any) => v.path).sort()).toEqual(['email', 'lines[0].qty', 'lines[1].qty', 'lines[1].sku', 'orderId']);
    const ex = (await t.rt.store.listExecutions({ flowId: id })).items[0];
    expect(ex.status).toBe('succeeded');
  });

  it('additional properties and enums name the offending field; the whole value and a source expression', async () => {
    const { post } = await deployValidate({
      source: 'data.customer',
      schema: JSON.stringify({ type: 'object', additionalProperties: false, properties: { tier: { enum: ['gold', 'silver'] } } }),
    });
    const r = await post({ customer: { tier: 'bronze', 'we/ird~key': 1 } });
    expect(r.json.details).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ path: 'tier', message: 'must be one of "gold", "silver"' }),
        expect.objectContaining({ path: '["we/ird~key"]', pointer: '/we~1ird~0key', message: 'is not allowed' }),
      ]),
    );
    const missing = await post({});
    expect(missing.status).toBe(400);
    expect(missing.json.details[0]).toMatchObject({ path: '', message: 'must be object' });
  });

  it('a bad schema fails the deploy with the path inside the schema; bad JSON text too', async () => {
    const err = await deployValidate({ schema: { type: 'object', properties: { qty: { type: 'integr' } } } }).catch((e) => e);
    expect(err).toBeInstanceOf(ProblemsError);
    expect((err as ProblemsError).problems.map((p) => p.path)).toContain('nodes[1].settings.schema.properties.qty.type');
    const text = await deployValidate({ schema: '{"type": ' }).catch((e) => e);
    expect((text as ProblemsError).problems[0]).toMatchObject({ path: 'nodes[1].settings.schema', nodeId: 'check' });
    expect((text as ProblemsError).problems[0].message).toMatch(/is not valid JSON/);
    const ref = await deployValidate({ schema: { $ref: '#/definitions/nope' } }).catch((e) => e);
    expect((ref as ProblemsError).problems[0].message).toMatch(/resolve reference/);
  });

  it('async schemas are refused at deploy (their validator would pass everything)', async () => {
    const err = await deployValidate({ schema: { $async: true, type: 'object', required: ['id'] } }).catch((e) => e);
    expect((err as ProblemsError).problems[0]).toMatchObject({ path: 'nodes[1].settings.schema.$async', message: 'async schemas are not supported' });
  });

  it('a hostile payload with a huge number of violations gets a bounded details list', async () => {
    const f = chainFlow({ path: '/v-many' }, [{ type: 'validate', settings: { schema: { type: 'array', items: { type: 'integer' } } } }]);
    const r = await t.rt.runOnce(f, Array.from({ length: 5000 }, () => 'x'));
    expect(r.error!.message).toMatch(/^1000 or more validation errors: \[0\]: must be integer; /);
    expect(r.steps[1].error!.details).toHaveLength(1000);
  });

  it('strict schemas reject unknown keywords at deploy; lenient ones ignore them', async () => {
    const s = { type: 'object', exampel: 1 };
    await expect(deployValidate({ schema: s })).resolves.toBeDefined();
    const err = await deployValidate({ schema: s, strictSchema: true }).catch((e) => e);
    expect((err as ProblemsError).problems[0].message).toMatch(/unknown keyword: "exampel"/);
  });

  it('async mode without error routing: the execution fails with the violations recorded on the step', async () => {
    const f = chainFlow({ path: '/v-async' }, [{ type: 'validate', settings: { schema: { type: 'object', required: ['id'] } } }]);
    const r = await t.rt.runOnce(f, { name: 'x' });
    expect(r.status).toBe('failed');
    expect(r.error).toMatchObject({ code: 'validation_failed', nodeId: 'n1' });
    expect(r.steps[1].error).toMatchObject({ code: 'validation_failed', details: [{ path: 'id', message: 'is required' }] });
  });
});
