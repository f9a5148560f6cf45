import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ChainSecretStore, EnvSecretStore, FileSecretStore } from '../../core/secrets/env-store';
import { MemorySecretStore } from '../../core/secrets/secret-store';
import { tempDir } from '../helpers/runtime';

describe('secret stores', () => {
  it('memory store is write-only in spirit: blank keeps the stored value, names are validated', () => {
    const s = new MemorySecretStore();
    s.set('ERP_PASSWORD', 'pw1');
    s.set('ERP_PASSWORD', '');
    expect(s.get('ERP_PASSWORD')).toBe('pw1');
    expect(() => s.set('bad name', 'x')).toThrow(/letters, digits/);
    expect(s.list()).toEqual(['ERP_PASSWORD']);
  });

  it('env store reads HOOKLINE_SECRET_NAME first, then NAME', () => {
    const s = new EnvSecretStore({ HOOKLINE_SECRET_A: 'prefixed', A: 'plain', B: 'only-plain' });
    expect(s.get('A')).toBe('prefixed');
    expect(s.get('B')).toBe('only-plain');
    expect(s.get('C')).toBeUndefined();
    expect(s.list()).toEqual(['A']);
  });

  it('env store reads HOOKLINE_SECRET_NAME_FILE (Docker / Kubernetes secrets mounted as files)', () => {
    const dir = tempDir();
    const file = path.join(dir, 'erp_password');
    fs.writeFileSync(file, 'pw from file\n');
    const s = new EnvSecretStore({ HOOKLINE_SECRET_ERP_PASSWORD_FILE: file, ERP_PASSWORD: 'plain' });
    expect(s.get('ERP_PASSWORD')).toBe('pw from file');
    expect(s.has('ERP_PASSWORD')).toBe(true);
    expect(s.list()).toEqual(['ERP_PASSWORD']);
    // Inner line breaks (a PEM key) stay; only the one the editor added at the end goes.
    fs.writeFileSync(file, 'line 1\r\nline 2\r\n');
    expect(new EnvSecretStore({ HOOKLINE_SECRET_KEY_FILE: file }).get('KEY')).toBe('line 1\r\nline 2');
    expect(() => new EnvSecretStore({ HOOKLINE_SECRET_ERP_PASSWORD_FILE: file, HOOKLINE_SECRET_ERP_PASSWORD: 'x' })).toThrow('HOOKLINE_SECRET_ERP_PASSWORD and HOOKLINE_SECRET_ERP_PASSWORD_FILE are both set');
    expect(() => new EnvSecretStore({ HOOKLINE_SECRET_ERP_PASSWORD_FILE: path.join(dir, 'missing') })).toThrow(`HOOKLINE_SECRET_ERP_PASSWORD_FILE=${path.join(dir, 'missing')}: no such file`);
    expect(() => new EnvSecretStore({ HOOKLINE_SECRET_ERP_PASSWORD_FILE: dir })).toThrow('is a folder, not a file');
  });

  it('file store refuses a file others can read and writes 0600', () => {
    const dir = tempDir();
    const file = path.join(dir, 'secrets.json');
    fs.writeFileSync(file, JSON.stringify({ TOKEN: 't' }), { mode: 0o644 });
    fs.chmodSync(file, 0o644);
    expect(() => new FileSecretStore(file)).toThrow(/chmod 600/);
    fs.chmodSync(file, 0o600);
    const s = new FileSecretStore(file);
    expect(s.get('TOKEN')).toBe('t');
    s.set('OTHER', 'o');
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(JSON.parse(fs.readFileSync(file, 'utf8'))).toEqual({ TOKEN: 't', OTHER: 'o' });
    fs.writeFileSync(file, '{"bad name": "x"}');
    expect(() => new FileSecretStore(file)).toThrow(/not a valid secret name/);
  });

  it('chain store looks up in order', () => {
    const c = new ChainSecretStore([new MemorySecretStore({ A: 'first' }), new MemorySecretStore({ A: 'second', B: 'b' })]);
    expect(c.get('A')).toBe('first');
    expect(c.get('B')).toBe('b');
    expect(c.list()).toEqual(['A', 'B']);
  });
});
