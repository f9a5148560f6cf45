import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildBundle, serializeBundle } from '../../core/bundle/bundle';
import { exportFromDataDir, importIntoDataDir } from '../../core/bundle/transfer';
import { FlowRepository } from '../../core/host/flow-repo';
import { flowSchema } from '../../core/model/flow';
import { ProblemsError } from '../../core/model/problems';
import { MemorySecretStore } from '../../core/secrets/secret-store';
import { chainFlow, tempDir } from '../helpers/runtime';
import { cli } from '../helpers/cli-process';

const relay = () => flowSchema.parse(chainFlow({ path: '/relay' }, [{ type: 'http-request', settings: { url: '/echo', connectionId: 'partner' } }], { id: 'relay' }));

/** A studio data directory with one flow using the connection `partner`, written as given. */
function studio(connection: Record<string, unknown>): string {
  const dir = tempDir();
  new FlowRepository(dir).save(relay());
  fs.mkdirSync(path.join(dir, 'connections'));
  fs.writeFileSync(path.join(dir, 'connections', 'partner.json'), JSON.stringify(connection));
  return dir;
}

const partner = { id: 'partner', name: 'Partner', baseUrl: 'http://127.0.0.1:19090', auth: { type: 'requestor', requestor: 'HOOK01', username: 'acme', passwordSecret: 'ACME_PASSWORD' }, timeoutMs: 3000 };

describe('export reads connections through the connection schema', () => {
  it('refuses a connection holding a plaintext credential, naming the connection and the field (the QA case)', async () => {
    const dir = studio({ ...partner, auth: { ...partner.auth, password: 'plaintext-SECRET5' } });
    const out = path.join(tempDir(), 'x.bundle.json');
    const r = await cli(['export', '--data-dir', dir, '--flows', 'relay', '--out', out]);
    expect(r.code).toBe(1);
    expect(r.err).toContain('connections.partner.auth.password: connection "partner"');
    expect(r.err).toContain('holds a plaintext credential');
    expect(r.err).toContain('"passwordSecret" in auth');
    expect(r.err + r.out).not.toContain('plaintext-SECRET5');
    expect(fs.existsSync(out)).toBe(false);
  });

  it('refuses a literal credential header and a connection the schema rejects', () => {
    const headers = studio({ id: 'partner', name: 'P', auth: { type: 'headers', headers: [{ name: 'X-Api-Key', value: 'k-SECRET7' }, { name: 'X-Client', value: 'shop' }] } });
    expect(() => exportFromDataDir(headers, new FlowRepository(headers), { flowIds: ['relay'] })).toThrow(/connections\.partner\.auth\.headers\[0\]\.value: .*plaintext credential for header "X-Api-Key"/);
    const broken = studio({ id: 'partner', name: 'P', auth: { type: 'oauth2ClientCredentials', tokenUrl: 'nope', clientId: 'c', clientSecretSecret: 'S' } });
    expect(() => exportFromDataDir(broken, new FlowRepository(broken), { flowIds: ['relay'] })).toThrow(/connections\.partner\.auth\.tokenUrl: .*must be an absolute http/);
  });

  it('never copies a field the schema does not know; the bundle validates and names secrets only', async () => {
    const dir = studio({ ...partner, notes: 'call Bob', auth: { ...partner.auth, legacyMode: true } });
    const b = exportFromDataDir(dir, new FlowRepository(dir), { flowIds: ['relay'] });
    expect(b.connections).toHaveLength(1);
    expect(b.connections[0]).not.toHaveProperty('notes');
    expect(b.connections[0].auth).toEqual({ type: 'requestor', requestor: 'HOOK01', username: 'acme', passwordSecret: 'ACME_PASSWORD', sendAs: 'basic', requestorHeader: 'X-Requestor' });
    expect(b.secrets.map((s) => s.name)).toEqual(['ACME_PASSWORD']);
    const file = path.join(tempDir(), 'ok.bundle.json');
    fs.writeFileSync(file, serializeBundle(b));
    expect((await cli(['validate', file])).code).toBe(0);
  });
});

describe('validate and import check a bundle\'s connections', () => {
  const bundleWith = (connection: Record<string, unknown>) => JSON.parse(serializeBundle(buildBundle({ name: 'b', flows: [relay()], connections: [connection] })));

  it('a hand-edited bundle with a plaintext credential is reported by validate and refused by import', async () => {
    const raw = bundleWith({ ...partner, auth: { ...partner.auth, password: 'plaintext-SECRET5' } });
    const file = path.join(tempDir(), 'edited.bundle.json');
    fs.writeFileSync(file, JSON.stringify(raw));
    const r = await cli(['validate', file]);
    expect(r.code).toBe(1);
    expect(r.err).toContain(`${file}: connections[0].auth.password: holds a plaintext credential`);
    const dst = tempDir();
    expect(() => importIntoDataDir(raw, dst, new FlowRepository(dst), new MemorySecretStore(), { onConflict: 'rename' })).toThrow(ProblemsError);
    expect(fs.existsSync(path.join(dst, 'connections', 'partner.json'))).toBe(false);
  });

  it('import refuses a malformed connection and writes a good one as the schema reads it', () => {
    const dst = tempDir();
    const bad = bundleWith({ id: 'partner', name: 'P', auth: { type: 'bearer' } });
    expect(() => importIntoDataDir(bad, dst, new FlowRepository(dst), new MemorySecretStore(), { onConflict: 'rename' })).toThrow(/connections\[0\]\.auth\.tokenSecret: is required/);
    importIntoDataDir(bundleWith({ ...partner, notes: 'call Bob' }), dst, new FlowRepository(dst), new MemorySecretStore(), { onConflict: 'rename' });
    const written = JSON.parse(fs.readFileSync(path.join(dst, 'connections', 'partner.json'), 'utf8'));
    expect(written).not.toHaveProperty('notes');
    expect(written.auth.passwordSecret).toBe('ACME_PASSWORD');
  });
});
