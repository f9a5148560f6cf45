import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildBundle, serializeBundle } from '../../core/bundle/bundle';
import { exportWithWarnings } from '../../core/bundle/transfer';
import { FlowRepository } from '../../core/host/flow-repo';
import { flowSchema } from '../../core/model/flow';
import { formatProblem } from '../../core/model/problems';
import { chainFlow, tempDir } from '../helpers/runtime';
import { cli } from '../helpers/cli-process';

function write(name: string, obj: unknown): string {
  const f = path.join(tempDir(), name);
  fs.writeFileSync(f, JSON.stringify(obj));
  return f;
}

/** The QA's file: typos in a webhook's and a log node's settings. */
const typo = chainFlow({ path: '/typo', timeoutMS: 100, maxConcurency: 2 }, [{ type: 'log', id: 'log', settings: { levle: 'warn' } }], { id: 'typo' });

describe('hookline validate prints unknown settings as warnings', () => {
  it('names each key with a suggestion, says valid and exits 0', async () => {
    const f = write('typo.flow.json', typo);
    const r = await cli(['validate', f]);
    expect(r.code).toBe(0);
    expect(r.err.split('\n').filter(Boolean)).toEqual([
      `${f}: warning: nodes[0].settings.timeoutMS: unknown setting; did you mean "timeoutMs"? [node "hook"]`,
      `${f}: warning: nodes[0].settings.maxConcurency: unknown setting; did you mean "maxConcurrency"? [node "hook"]`,
      `${f}: warning: nodes[1].settings.levle: unknown setting; did you mean "level"? [node "log"]`,
    ]);
    expect(r.out).toContain(`${f}: valid`);
  });

  it('--json lists them with severity and code', async () => {
    const r = await cli(['validate', write('typo.flow.json', typo), '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toContainEqual({ path: 'nodes[1].settings.levle', code: 'unknown_setting', message: 'unknown setting; did you mean "level"?', severity: 'warning', nodeId: 'log' });
  });

  it("a bundle's flow and connection: warned about at their paths, exit 0", async () => {
    const b = buildBundle({ name: 'typo', flows: [flowSchema.parse({ ...typo, nodes: typo.nodes.slice(0, 1), edges: [] })], connections: [{ id: 'erp', name: 'ERP', baseURL: 'https://erp.example' }] });
    const f = write('typo.bundle.json', JSON.parse(serializeBundle(b)));
    const r = await cli(['validate', f]);
    expect(r.code).toBe(0);
    expect(r.err).toContain(`${f}: warning: flows[0].nodes[0].settings.timeoutMS: unknown setting; did you mean "timeoutMs"? [flow "typo", node "hook"]`);
    expect(r.err).toContain(`${f}: warning: connections[0].baseURL: unknown setting, left out; did you mean "baseUrl"?`);
  });
});

describe('export', () => {
  it('says which connection field it leaves out, with the key it was meant to be', () => {
    const dir = tempDir();
    new FlowRepository(dir).save(flowSchema.parse(chainFlow({ path: '/relay' }, [{ type: 'http-request', settings: { url: '/echo', connectionId: 'erp' } }], { id: 'relay' })));
    fs.mkdirSync(path.join(dir, 'connections'));
    fs.writeFileSync(path.join(dir, 'connections', 'erp.json'), JSON.stringify({ id: 'erp', name: 'ERP', baseURL: 'https://erp.example' }));
    const { bundle, warnings } = exportWithWarnings(dir, new FlowRepository(dir), { flowIds: ['relay'] });
    expect(bundle.connections).toEqual([expect.not.objectContaining({ baseURL: expect.anything() })]);
    expect(warnings.map(formatProblem)).toEqual([`connections.erp.baseURL: connection "erp" (${path.join(dir, 'connections', 'erp.json')}): unknown setting, left out; did you mean "baseUrl"?`]);
    expect(warnings[0].severity).toBe('warning');
  });

  it('hookline export and the host print those warnings, and still export', async () => {
    const dir = tempDir();
    new FlowRepository(dir).save(flowSchema.parse(chainFlow({ path: '/relay' }, [{ type: 'http-request', settings: { url: '/echo', connectionId: 'erp' } }], { id: 'relay' })));
    fs.mkdirSync(path.join(dir, 'connections'));
    fs.writeFileSync(path.join(dir, 'connections', 'erp.json'), JSON.stringify({ id: 'erp', name: 'ERP', baseURL: 'https://erp.example' }));
    const out = path.join(tempDir(), 'x.bundle.json');
    const r = await cli(['export', '--flows', 'relay', '--out', out, '--data-dir', dir]);
    expect(r.code).toBe(0);
    expect(r.err).toContain(`${out}: warning: connections.erp.baseURL: connection "erp"`);
    expect(r.err).toContain('unknown setting, left out; did you mean "baseUrl"?');
    expect(fs.existsSync(out)).toBe(true);
  });
});
