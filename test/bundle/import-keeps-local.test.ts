import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildBundle, serializeBundle } from '../../core/bundle/bundle';
import { importIntoDataDir, readEnvironments } from '../../core/bundle/transfer';
import { FlowRepository } from '../../core/host/flow-repo';
import { flowSchema } from '../../core/model/flow';
import { MemorySecretStore } from '../../core/secrets/secret-store';
import { chainFlow, tempDir } from '../helpers/runtime';

const relay = flowSchema.parse(chainFlow({ path: '/relay' }, [{ type: 'http-request', settings: { url: '/x', connectionId: 'erp' } }], { id: 'relay' }));
const theirs = { id: 'erp', name: 'ERP (theirs)', baseUrl: 'https://erp.theirs.example', auth: { type: 'none' } };
const bundle = () =>
  JSON.parse(
    serializeBundle(
      buildBundle({
        name: 'relay',
        flows: [relay],
        connections: [theirs],
        environments: [{ name: 'prod', variables: [{ name: 'ERP_URL', value: 'https://erp.theirs.example', secret: false }, { name: 'ERP_USER', value: 'theirs', secret: false }] }],
      }),
    ),
  );

/** A studio data directory that already has connection `erp` and environment `prod`, with values of its own. */
function studio(): string {
  const dir = tempDir();
  fs.mkdirSync(path.join(dir, 'connections'));
  fs.writeFileSync(path.join(dir, 'connections', 'erp.json'), JSON.stringify({ id: 'erp', name: 'ERP (mine)', baseUrl: 'https://erp.mine.example', auth: { type: 'none' } }));
  fs.writeFileSync(path.join(dir, 'environments.json'), JSON.stringify([{ name: 'prod', variables: [{ name: 'ERP_URL', value: 'https://erp.mine.example', secret: false }] }, { name: 'local', variables: [] }]));
  return dir;
}

describe('import in "rename" mode keeps what the studio has, and says so', () => {
  it('reports an existing connection as kept (it was listed as imported, though the bundle\'s copy was not written)', () => {
    const dir = studio();
    const r = importIntoDataDir(bundle(), dir, new FlowRepository(dir), new MemorySecretStore(), { onConflict: 'rename' });
    expect(r.connections).toEqual([{ id: 'erp', kept: true }]);
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'connections', 'erp.json'), 'utf8')).name).toBe('ERP (mine)');
  });

  it('keeps the local values of an environment of the same name and adds only the variables it lacks', () => {
    const dir = studio();
    importIntoDataDir(bundle(), dir, new FlowRepository(dir), new MemorySecretStore(), { onConflict: 'rename' });
    const envs = readEnvironments(dir);
    expect(envs.map((e) => e.name)).toEqual(['prod', 'local']);
    expect(envs[0].variables).toEqual([
      { name: 'ERP_URL', value: 'https://erp.mine.example', secret: false },
      { name: 'ERP_USER', value: 'theirs', secret: false },
    ]);
  });

  it('"replace" takes the bundle\'s connection and environment', () => {
    const dir = studio();
    const r = importIntoDataDir(bundle(), dir, new FlowRepository(dir), new MemorySecretStore(), { onConflict: 'replace' });
    expect(r.connections).toEqual([{ id: 'erp', replaced: true }]);
    const prod = readEnvironments(dir).find((e) => e.name === 'prod')!;
    expect(prod.variables.map((v) => v.value)).toEqual(['https://erp.theirs.example', 'theirs']);
  });
});
