import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FlowRepository } from '../../core/host/flow-repo';
import { flowSchema } from '../../core/model/flow';
import { lockDataDir } from '../../core/runtime/data-dir-lock';
import { chainFlow, tempDir } from '../helpers/runtime';
import { cli } from '../helpers/cli-process';

/** A studio data directory with two flows, one using connection `erp` and the secret OP_IMPORT_KEY. */
function studio(): string {
  const dir = tempDir();
  const repo = new FlowRepository(dir);
  repo.save(flowSchema.parse(chainFlow({ path: '/a', auth: { type: 'apiKey', keys: [{ id: 'k', label: 'Shop', secret: 'OP_IMPORT_KEY' }] } }, [], { id: 'alpha' })));
  repo.save(flowSchema.parse(chainFlow({ path: '/b' }, [{ type: 'http-request', settings: { url: '/x', connectionId: 'erp' } }], { id: 'beta' })));
  fs.mkdirSync(path.join(dir, 'connections'));
  fs.writeFileSync(path.join(dir, 'connections', 'erp.json'), JSON.stringify({ id: 'erp', name: 'ERP', baseUrl: 'https://erp.example', auth: { type: 'none' } }));
  return dir;
}

describe('hookline export --all and hookline import (n8n export:workflow --all / import:workflow)', () => {
  it('exports every flow, imports them into another data directory, and again renamed or replaced', async () => {
    const out = path.join(tempDir(), 'all.bundle.json');
    const exported = await cli(['export', '--data-dir', studio(), '--all', '--out', out]);
    expect(exported.code, exported.err).toBe(0);
    expect(exported.out).toContain('2 flow(s), 1 connection(s)');

    const dest = tempDir();
    const first = await cli(['import', out, '--data-dir', dest]);
    expect(first.code, first.err).toBe(0);
    expect(first.out.split('\n')).toEqual([
      `imported ${out} into ${dest}:`,
      '  flow alpha',
      '  flow beta',
      '  connection erp',
      'secrets to set before running (studio: Connections or the node\'s secret field): OP_IMPORT_KEY',
    ]);
    expect(new FlowRepository(dest).ids()).toEqual(['alpha', 'beta']);

    const again = await cli(['import', out, '--data-dir', dest]);
    expect(again.out).toContain('  flow alpha-2 (renamed from alpha: that id exists; --replace replaces it)');
    expect(again.out).toContain("  connection erp (exists here and was kept; --replace takes the bundle's)");
    const replaced = await cli(['import', out, '--data-dir', dest, '--replace']);
    expect(replaced.out).toContain('  flow alpha (replaced)');
    expect(new FlowRepository(dest).ids()).toEqual(['alpha', 'alpha-2', 'beta', 'beta-2']);
    expect(fs.existsSync(path.join(dest, 'hookline.lock'))).toBe(false);
  });

  it('writes nothing when the bundle has a problem, and refuses a data directory the studio holds', async () => {
    const out = path.join(tempDir(), 'all.bundle.json');
    await cli(['export', '--data-dir', studio(), '--all', '--out', out]);
    const b = JSON.parse(fs.readFileSync(out, 'utf8'));
    b.flows[1].nodes[1].settings.timeoutMs = -1;
    const broken = path.join(tempDir(), 'broken.bundle.json');
    fs.writeFileSync(broken, JSON.stringify(b));
    const dest = tempDir();
    const r = await cli(['import', broken, '--data-dir', dest]);
    expect(r.code).toBe(1);
    expect(r.err).toContain(`${broken}: flows[1].nodes[1].settings.timeoutMs: must be greater than 0 [flow "beta", node "n1"]`);
    expect(fs.existsSync(path.join(dest, 'flows')) ? fs.readdirSync(path.join(dest, 'flows')) : []).toEqual([]);
    expect(fs.existsSync(path.join(dest, 'connections'))).toBe(false);

    const lock = lockDataDir(dest);
    try {
      const busy = await cli(['import', out, '--data-dir', dest]);
      expect(busy.code).toBe(3);
      expect(busy.err).toMatch(new RegExp(`data dir ${dest} is in use by pid ${process.pid} \\(started [^)]+\\): use that studio's Import bundle, or stop it first$`));
    } finally {
      lock.release();
    }
  });

  it('export of a flow that serve would refuse writes it (work in progress can be handed over) and warns with each problem', async () => {
    const dir = studio();
    const repo = new FlowRepository(dir);
    const beta = repo.get('beta');
    repo.save({ ...beta, nodes: beta.nodes.map((n) => (n.id === 'n1' ? { ...n, settings: { ...n.settings, url: '/x/{{ data.id' } } : n)) });
    const out = path.join(tempDir(), 'wip.bundle.json');
    const r = await cli(['export', '--data-dir', dir, '--flows', 'beta', '--out', out]);
    expect(r.code).toBe(0);
    expect(fs.existsSync(out)).toBe(true);
    expect(r.err.split('\n')).toEqual([
      "warning: 'hookline serve' refuses this bundle until this problem is fixed in the studio:",
      `${out}: flows[0].nodes[1].settings.url: "{{" is not closed with "}}" (line 1, column 4) [flow "beta", node "n1"]`,
    ]);
    expect((await cli(['validate', out])).code).toBe(1);
  });

  it('export needs --flows or --all, not both', async () => {
    const dir = studio();
    expect((await cli(['export', '--data-dir', dir, '--out', '-'])).err).toContain('--flows (or --all) is required');
    const both = await cli(['export', '--data-dir', dir, '--all', '--flows', 'alpha', '--out', '-']);
    expect(both.code).toBe(2);
    expect(both.err).toContain('--flows and --all: give one of them');
  });
});
