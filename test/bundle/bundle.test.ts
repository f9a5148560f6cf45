import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildBundle, parseBundle, serializeBundle } from '../../core/bundle/bundle';
import { importIntoDataDir, exportFromDataDir } from '../../core/bundle/transfer';
import { FlowRepository } from '../../core/host/flow-repo';
import { flowSchema } from '../../core/model/flow';
import { ProblemsError } from '../../core/model/problems';
import { MemorySecretStore } from '../../core/secrets/secret-store';
import { chainFlow, tempDir } from '../helpers/runtime';

const flow = (id: string, extra: Record<string, unknown> = {}) =>
  flowSchema.parse(
    chainFlow({ path: `/${id}`, auth: { type: 'apiKey', keys: [{ id: 'k', label: 'Partner', secret: 'PARTNER_KEY' }] }, ...extra }, [{ type: 'log', settings: { value: '$env.ERP_URL & data.x' } }], { id }),
  );

describe('bundle format', () => {
  it('is deterministic: the same content gives the same bytes, whatever the key order', () => {
    const a = serializeBundle(buildBundle({ name: 'b', flows: [flow('one'), flow('two')], createdAt: '2026-01-01T00:00:00Z' }));
    const shuffled = JSON.parse(JSON.stringify(flow('two')), (_k, v) => (v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).reverse()) : v));
    const b = serializeBundle(buildBundle({ name: 'b', flows: [shuffled, flow('one')], createdAt: '2026-01-01T00:00:00Z' }));
    expect(b).toBe(a);
    expect(a.endsWith('\n')).toBe(true);
  });

  it('lists the secrets and variables it needs, never secret values', () => {
    const b = buildBundle({ name: 'b', flows: [flow('one')], environments: [{ name: 'prod', variables: [{ name: 'ERP_URL', value: 'https://erp', secret: false }, { name: 'ERP_PASSWORD', value: 'leak!', secret: true }] }] });
    expect(b.secrets).toEqual([{ name: 'PARTNER_KEY', usedBy: ['flow one, node hook'] }]);
    expect(b.variables).toEqual([{ name: 'ERP_URL', usedBy: ['flow one, node n1'] }]);
    expect(serializeBundle(b)).not.toContain('leak!');
    expect(b.manifest.nodeTypes).toEqual({ webhook: 1, log: 1 });
    expect(b.manifest.checksum).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it('a changed bundle fails its checksum; every flow problem is reported with its path', () => {
    const b = JSON.parse(serializeBundle(buildBundle({ name: 'b', flows: [flow('one')] })));
    b.flows[0].name = 'edited';
    expect(() => parseBundle(b)).toThrow(/manifest.checksum: does not match/);
    const bad = JSON.parse(serializeBundle(buildBundle({ name: 'b', flows: [flow('one')] })));
    bad.flows[0].nodes[1].settings = { level: 'loud' };
    bad.manifest.nodeTypes.teleport = 1;
    try {
      parseBundle(bad);
      expect.unreachable();
    } catch (e) {
      const lines = (e as ProblemsError).problems.map((p) => `${p.path}: ${p.message}`);
      expect(lines).toContain('flows[0].nodes[1].settings.level: must be one of "debug", "info", "warn", "error"');
      expect(lines.some((l) => l.startsWith('manifest.nodeTypes.teleport: node type "teleport" is not known'))).toBe(true);
      expect(lines.some((l) => l.startsWith('manifest.checksum'))).toBe(true);
    }
  });

  it('says what it found: a formatVersion given as text or missing, a kind that was changed', async () => {
    const { bundleProblems } = await import('../../core/bundle/bundle');
    const { formatProblem } = await import('../../core/model/problems');
    const { isBundle } = await import('../../core/model/bundle');
    const b = JSON.parse(serializeBundle(buildBundle({ name: 'b', flows: [flowSchema.parse(chainFlow({ path: '/x' }, [], { id: 'x' }))] })));
    const problems = (change: (x: Record<string, unknown>) => void) => {
      const c = structuredClone(b);
      change(c);
      return bundleProblems(c).problems.map(formatProblem);
    };
    expect(problems((x) => (x.formatVersion = '1'))).toEqual(['formatVersion: must be one of 1, got "1"']);
    expect(problems((x) => delete x.formatVersion)).toEqual(['formatVersion: must be one of 1, got nothing']);
    const kind = structuredClone(b);
    kind.kind = 'flow';
    expect(isBundle(kind)).toBe(true);
    expect(problems((x) => (x.kind = 'flow'))).toEqual(['kind: must be one of "hookline.bundle", got "flow"']);
  });

  it('rejects ids that could name files outside the data directory', () => {
    const b = JSON.parse(serializeBundle(buildBundle({ name: 'b', flows: [flow('one')] })));
    b.flows[0].id = '../../etc/passwd';
    expect(() => parseBundle(b)).toThrow(/flows\[0\]\.id: must start with a letter or digit/);
  });
});

describe('export and import', () => {
  it('round trip with rename or replace on id conflicts, listing missing secrets', () => {
    const src = tempDir();
    const repo = new FlowRepository(src);
    repo.save(flow('orders'));
    fs.writeFileSync(path.join(src, 'environments.json'), JSON.stringify([{ name: 'prod', variables: [{ name: 'ERP_URL', value: 'https://erp.example' }] }]));
    const bundle = exportFromDataDir(src, repo, { flowIds: ['orders'], name: 'orders', version: '2.1.0' });
    expect(bundle.environments[0].name).toBe('prod');

    const dst = tempDir();
    const dstRepo = new FlowRepository(dst);
    const secrets = new MemorySecretStore();
    const first = importIntoDataDir(JSON.parse(serializeBundle(bundle)), dst, dstRepo, secrets, { onConflict: 'rename' });
    expect(first.flows).toEqual([{ id: 'orders' }]);
    expect(first.missingSecrets).toEqual(['PARTNER_KEY']);
    const again = importIntoDataDir(bundle, dst, dstRepo, secrets, { onConflict: 'rename' });
    expect(again.flows).toEqual([{ id: 'orders-2', renamedFrom: 'orders' }]);
    expect(dstRepo.get('orders-2').name).toBe('orders (2)');
    secrets.set('PARTNER_KEY', 'v');
    const replaced = importIntoDataDir(bundle, dst, dstRepo, secrets, { onConflict: 'replace' });
    expect(replaced.flows).toEqual([{ id: 'orders', replaced: true }]);
    expect(replaced.missingSecrets).toEqual([]);
    expect(dstRepo.ids()).toEqual(['orders', 'orders-2']);
    expect(JSON.parse(fs.readFileSync(path.join(dst, 'environments.json'), 'utf8'))[0].name).toBe('prod');
  });

  it('import validates everything before writing anything', () => {
    const dst = tempDir();
    const repo = new FlowRepository(dst);
    const b = JSON.parse(serializeBundle(buildBundle({ name: 'b', flows: [flow('one'), flow('two')] })));
    b.flows[1].nodes[0].settings.methods = [];
    expect(() => importIntoDataDir(b, dst, repo, new MemorySecretStore(), { onConflict: 'rename' })).toThrow(ProblemsError);
    expect(repo.ids()).toEqual([]);
  });
});

describe('connection environment placeholders', () => {
  it('fills {{ $env.NAME }} in every text field, validates the result and names what is missing', async () => {
    const { connectionSchema, substituteConnectionEnv } = await import('../../core/model/connection');
    const c = connectionSchema.parse({ id: 'p', name: 'P', auth: { type: 'oauth2ClientCredentials', tokenUrl: '{{ $env.TOKEN_URL }}', clientId: '{{$env.CLIENT_ID}}-x', clientSecretSecret: 'S' } });
    const r = substituteConnectionEnv(c, { TOKEN_URL: 'https://idp.example/token', CLIENT_ID: 'shop' });
    expect(r.auth).toMatchObject({ tokenUrl: 'https://idp.example/token', clientId: 'shop-x' });
    expect(() => substituteConnectionEnv(c, { CLIENT_ID: 'shop' })).toThrow('connection "p": auth.tokenUrl: variable TOKEN_URL is not set');
    expect(() => substituteConnectionEnv(c, { TOKEN_URL: 'not a url', CLIENT_ID: 'x' })).toThrow(/auth.tokenUrl: must be an absolute http/);
  });
});
