import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/runtime';
import { cli } from '../helpers/cli-process';

function write(name: string, obj: unknown, dir = tempDir()) {
  const f = path.join(dir, name);
  fs.writeFileSync(f, typeof obj === 'string' ? obj : JSON.stringify(obj));
  return f;
}

const flow = {
  formatVersion: 1,
  id: 'orders',
  name: 'orders',
  nodes: [
    { id: 'start', type: 'manual', settings: { sample: { orderId: 'S-1', lines: [{ sku: 'A', qty: 1 }] } } },
    { id: 'check', type: 'validate', settings: { schema: { type: 'object', required: ['orderId', 'lines'], properties: { lines: { type: 'array', items: { type: 'object', properties: { qty: { type: 'integer', minimum: 1 } } } } } } } },
    { id: 'xml', type: 'build-xml', settings: { rootName: 'Order', declaration: false } },
    { id: 'reply', type: 'respond', settings: { status: 201, bodyMode: 'data' } },
  ],
  edges: [
    { id: 'e1', source: 'start', target: 'check' },
    { id: 'e2', source: 'check', target: 'xml' },
    { id: 'e3', source: 'xml', target: 'reply' },
  ],
};

describe('hookline exec', () => {
  it('runs the flow once with the sample body, prints every step and the reply, exits 0', async () => {
    const dir = tempDir();
    const f = write('flow.json', flow, dir);
    const input = write('sample.json', { orderId: 'A-7', lines: [{ sku: 'X', qty: 2 }] }, dir);
    const r = await cli(['exec', f, '--input', input]);
    expect(r.code, r.err).toBe(0);
    const lines = r.out.split('\n');
    expect(lines[0]).toMatch(/^execution [0-9a-f-]{36} \(flow orders, revision 1\)$/);
    expect(lines[1]).toMatch(/^ {3}1\. start \(manual\)\s+succeeded\s+\d+\.\d ms -> out$/);
    expect(lines[2]).toContain('{"orderId":"A-7","lines":[{"sku":"X","qty":2}]}');
    expect(r.out).toMatch(/2\. check \(validate\)\s+succeeded/);
    expect(r.out).toMatch(/3\. xml \(build-xml\)\s+succeeded .* -> out\n\s+"<Order><orderId>A-7<\/orderId>/);
    expect(r.out).toContain('reply: 201 (application/json; charset=utf-8)');
    expect(r.out).toContain('"<Order><orderId>A-7</orderId><lines><sku>X</sku><qty>2</qty></lines></Order>"');
    expect(r.out).toMatch(/\nsucceeded in \d+ ms$/);
  });

  it('without --input, a flow started by a Schedule runs with a tick made now', async () => {
    const f = write('nightly.json', {
      formatVersion: 1,
      id: 'nightly',
      name: 'nightly',
      nodes: [
        { id: 'tick', type: 'schedule', settings: { mode: 'cron', cron: '0 2 * * *' } },
        { id: 'since', type: 'set', settings: { fields: [{ name: 'since', expression: 'data.scheduledAt' }] } },
      ],
      edges: [{ id: 'e1', source: 'tick', target: 'since' }],
    });
    const before = new Date().toISOString().slice(0, 10);
    const r = await cli(['exec', f, '--json']);
    expect(r.code, r.err).toBe(0);
    const run = JSON.parse(r.out) as { output: { scheduledAt: string; firedAt: string; since: string } };
    expect(run.output.since).toBe(run.output.scheduledAt);
    expect(run.output.firedAt.slice(0, 10) >= before).toBe(true);
  });

  it('a failing run prints the failing step with every violation and exits 1', async () => {
    const f = write('flow.json', flow);
    const input = write('bad.json', { trigger: { headers: { 'x-a': '1' } }, data: { lines: [{ qty: 0 }] } });
    const r = await cli(['exec', f, '--input', input]);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/2\. check \(validate\)\s+failed/);
    expect(r.out).toContain('error validation_failed: 2 validation errors');
    expect(r.out).toContain('- orderId: is required');
    expect(r.out).toContain('- lines[0].qty: must be >= 1');
    expect(r.out).not.toContain('build-xml');
    expect(r.err).toMatch(/^failed in \d+ ms: check: 2 validation errors/);
  });

  it('without --input the Manual trigger sample is used; --json prints the execution with steps', async () => {
    const dataDir = tempDir();
    const r = await cli(['exec', write('flow.json', flow), '--json', '--data-dir', dataDir]);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.status).toBe('succeeded');
    expect(j.steps.map((s: { nodeId: string }) => s.nodeId)).toEqual(['start', 'check', 'xml', 'reply']);
    expect(j.input.data).toEqual({ orderId: 'S-1', lines: [{ sku: 'A', qty: 1 }] });
    expect(j.reply.status).toBe(201);
    // --data-dir keeps the execution record.
    expect(fs.existsSync(path.join(dataDir, 'executions.db'))).toBe(true);
  });

  it('--trigger picks the start node; an unknown one is a usage error (exit 2)', async () => {
    const two = {
      ...flow,
      nodes: [...flow.nodes, { id: 'hook', type: 'webhook', settings: { path: '/o' } }],
      edges: [...flow.edges, { id: 'e4', source: 'hook', target: 'xml' }],
    };
    const f = write('flow.json', two);
    const input = write('in.json', { n: 1 });
    const r = await cli(['exec', f, '--input', input, '--trigger', 'hook']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/1\. hook \(webhook\)/);
    expect(r.out).not.toContain('check (validate)');
    const bad = await cli(['exec', f, '--input', input, '--trigger', 'nope']);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('--trigger: the flow has no node "nope"');
  });

  it('a flow with problems exits 1 listing them; usage errors exit 2; --help', async () => {
    const broken = await cli(['exec', write('flow.json', { ...flow, nodes: [...flow.nodes.slice(0, 2), { id: 'xml', type: 'build-xml', settings: { rootName: 'no good' } }] })]);
    expect(broken.code).toBe(1);
    expect(broken.err).toContain('nodes[2].settings.rootName: must be a valid XML element name');
    expect((await cli(['exec'])).code).toBe(2);
    expect((await cli(['exec', write('flow.json', flow), '--input', '/no/such.json'])).code).toBe(2);
    const help = await cli(['exec', '--help']);
    expect(help.code).toBe(0);
    expect(help.out).toMatch(/^Usage: hookline exec <flow.json>/);
    expect((await cli(['--help'])).out).toContain('exec <flow.json>');
  });
});
