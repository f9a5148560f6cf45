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
