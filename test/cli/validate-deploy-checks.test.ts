import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildBundle, serializeBundle } from '../../core/bundle/bundle';
import { flowSchema } from '../../core/model/flow';
import { chainFlow, tempDir } from '../helpers/runtime';
import { cli } from '../helpers/cli-process';

const ROOT = path.resolve(__dirname, '../..');

function write(name: string, obj: unknown): string {
  const f = path.join(tempDir(), name);
  fs.writeFileSync(f, JSON.stringify(obj));
  return f;
}

/** The QA's flow: schema-valid, but deploy refuses it for four reasons. */
const qaFlow = {
  formatVersion: 1,
  id: 'bad2',
  name: 'Bad2',
  nodes: [
    { id: 'hook', type: 'webhook', settings: { methods: ['POST'], path: '/b', responseMode: 'requestResponse', auth: { type: 'apiKey', keys: [{ id: 'k', label: 'L', secret: 'K1' }] } } },
    { id: 'out', type: 'http-request', settings: { method: 'POST', url: 'not a url {{', contentType: 'application/json', body: '{ "a": {{ data.x }', connectionId: 'nope' } },
    { id: 'm', type: 'map', settings: { expression: 'data.((' } },
  ],
  edges: [
    { id: 'e1', source: 'hook', target: 'out' },
    { id: 'e2', source: 'out', target: 'm' },
  ],
};

describe('hookline validate checks what deploy checks', () => {
  it('reports the templates, the expression and the missing connection of the QA flow, exit 1', async () => {
    const f = write('bad3.flow.json', qaFlow);
    const r = await cli(['validate', f]);
    expect(r.code).toBe(1);
    expect(r.out).not.toContain('valid');
    expect(r.err.split('\n')).toEqual([
      `${f}: nodes[1].settings.url: "{{" is not closed with "}}" (line 1, column 11) [node "out"]`,
      `${f}: nodes[1].settings.body: "{{" is not closed with "}}" (line 1, column 8) [node "out"]`,
      `${f}: nodes[1].settings.connectionId: connection "nope" was not found (create it under Connections, or pick another) [node "out"]`,
      `${f}: nodes[2].settings.expression: Expected ")" before end of expression (line 1, column 7) [node "m"]`,
    ]);
    const json = JSON.parse((await cli(['validate', f, '--json'])).out) as Array<{ path: string; code: string }>;
    expect(json.map((p) => p.code)).toEqual(['template_syntax', 'template_syntax', 'invalid_value', 'expression_syntax']);
  });

  it('a schema problem in one node does not hide the deploy problems of the others', async () => {
    const flow = structuredClone(qaFlow);
    (flow.nodes[0].settings as Record<string, unknown>).path = 'no-slash';
    flow.edges.push({ id: 'e3', source: 'm', target: 'ghost' });
    const f = write('flow.json', flow);
    const r = await cli(['validate', f]);
    expect(r.code).toBe(1);
    expect(r.err).toContain(`${f}: nodes[0].settings.path: must start with "/"`);
    expect(r.err).toContain(`${f}: edges[2].target: no node with id "ghost"`);
    expect(r.err).toContain(`${f}: nodes[1].settings.url: "{{" is not closed`);
    expect(r.err).toContain(`${f}: nodes[2].settings.expression: Expected ")"`);
  });

  it('run and exec name the same problems as validate when a schema problem stops the deploy', async () => {
    const flow = structuredClone(qaFlow);
    (flow.nodes[1].settings as Record<string, unknown>).timeoutMs = -5;
    const f = write('flow.json', flow);
    const lines = async (args: string[]) => (await cli(args)).err.split('\n').filter((l) => l.includes('nodes['));
    const validate = await lines(['validate', f]);
    expect(validate.some((l) => l.includes('nodes[1].settings.timeoutMs'))).toBe(true);
    expect(validate.some((l) => l.includes('nodes[2].settings.expression'))).toBe(true);
    for (const args of [['run', f, '--port', '0', '--data-dir', tempDir()], ['exec', f]]) {
      const r = await cli(args);
      expect(r.code, args[0]).toBe(1);
      for (const wanted of ['nodes[1].settings.timeoutMs', 'nodes[2].settings.expression']) expect([args[0], r.err.includes(wanted)]).toEqual([args[0], true]);
    }
  });

  it('the examples still validate', async () => {
    for (const f of ['examples/itscope-to-erp.bundle.json', 'examples/price-query.bundle.json']) {
      const r = await cli(['validate', path.join(ROOT, f)]);
      expect(r.code, r.err).toBe(0);
      expect(r.out).toMatch(/: valid$/);
    }
  });

  it('a bundle: connections by the connection schema with their path, references resolved, flows compiled', async () => {
    const flow = flowSchema.parse(
      chainFlow({ path: '/o' }, [
        { type: 'http-request', settings: { url: '/orders/{{ data.id }}', connectionId: 'erp' } },
        { type: 'http-request', settings: { url: 'https://x.example/{{ data.id', connectionId: 'gone' } },
      ], { id: 'orders' }),
    );
    const connections = [{ id: 'erp', name: 'ERP', auth: { type: 'oauth2ClientCredentials', tokenUrl: 'not a url', clientId: 'c', clientSecretSecret: 'S' } }];
    const f = write('b.bundle.json', JSON.parse(serializeBundle(buildBundle({ name: 'b', flows: [flow], connections }))));
    const r = await cli(['validate', f]);
    expect(r.code).toBe(1);
    const lines = r.err.split("\n");
    expect(lines).toContain(`${f}: connections[0].auth.tokenUrl: must be an absolute http:// or https:// URL`);
    expect(lines).toContain(`${f}: flows[0].nodes[2].settings.connectionId: connection "gone" is not in the bundle (it has "erp") [flow "orders", node "n2"]`);
    expect(lines).toContain(`${f}: flows[0].nodes[2].settings.url: "{{" is not closed with "}}" (line 1, column 19) [flow "orders", node "n2"]`);
    // "erp" is named for what is wrong with it, not as missing; "gone" is named once.
    expect(lines.filter((l) => l.includes('connectionId'))).toEqual([`${f}: flows[0].nodes[2].settings.connectionId: connection "gone" is not in the bundle (it has "erp") [flow "orders", node "n2"]`]);
    expect(lines).toHaveLength(3);
  });
});
