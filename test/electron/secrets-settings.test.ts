import { describe, expect, it, vi } from 'vitest';
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

vi.mock('electron', async () => (await import('./electron-mock')).electronMock.module);
vi.mock('electron-store', () => import('./electron-store-mock'));

import { SafeStorageSecretStore, type SafeStorageLike } from '../../electron/safe-storage-secrets';
import { createSettings, restorableBounds } from '../../electron/settings';

function fakeSafeStorage(backend = 'gnome_libsecret', available = true): SafeStorageLike {
  return {
    isEncryptionAvailable: () => available,
    // Reversible but not plain text, so the test can tell stored bytes from the value.
    encryptString: (s) => Buffer.from(Buffer.from(s, 'utf8').map((b) => b ^ 0x5a)),
    decryptString: (b) => Buffer.from(b.map((x) => x ^ 0x5a)).toString('utf8'),
    getSelectedStorageBackend: () => backend,
  };
}
const tmp = () => path.join(mkdtempSync(path.join(os.tmpdir(), 'hookline-secrets-')), 'secrets.json');

describe('SafeStorageSecretStore', () => {
  it('stores values encrypted, reads them back after a restart, lists names only', () => {
    const file = tmp();
    const store = new SafeStorageSecretStore(file, fakeSafeStorage(), { platform: 'linux', warn: () => {} });
    store.set('API_KEY', 's3cr3t-value');
    store.set('OTHER', 'x');
    expect(readFileSync(file, 'utf8')).not.toContain('s3cr3t-value');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const again = new SafeStorageSecretStore(file, fakeSafeStorage(), { platform: 'linux', warn: () => {} });
    expect(again.get('API_KEY')).toBe('s3cr3t-value');
    expect(again.has('OTHER')).toBe(true);
    expect(again.list()).toEqual(['API_KEY', 'OTHER']);
    again.set('API_KEY', ''); // blank keeps the stored value
    expect(again.get('API_KEY')).toBe('s3cr3t-value');
    again.delete('API_KEY');
    expect(new SafeStorageSecretStore(file, fakeSafeStorage(), { warn: () => {} }).list()).toEqual(['OTHER']);
    expect(() => again.set('bad-name', 'v')).toThrow(/bad-name/);
  });

  it('refuses to store and warns loudly on Linux with the basic_text backend', () => {
    const file = tmp();
    const warn = vi.fn();
    const store = new SafeStorageSecretStore(file, fakeSafeStorage('basic_text'), { platform: 'linux', warn });
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn.mock.calls[0][0]).toMatch(/basic_text/);
    expect(() => store.set('API_KEY', 'v')).toThrow(/API_KEY: not stored/);
    expect(existsSync(file)).toBe(false);
    // basic_text is only a Linux thing; elsewhere the OS keychain is used.
    expect(() => new SafeStorageSecretStore(tmp(), fakeSafeStorage('basic_text'), { platform: 'darwin', warn }).set('A', 'v')).not.toThrow();
    const none = new SafeStorageSecretStore(tmp(), fakeSafeStorage('unknown', false), { platform: 'win32', warn: () => {} });
    expect(() => none.set('A', 'v')).toThrow(/not available/);
  });

  it('moves a corrupt file aside instead of overwriting it', () => {
    const file = tmp();
    writeFileSync(file, '{not json');
    const warn = vi.fn();
    const store = new SafeStorageSecretStore(file, fakeSafeStorage(), { warn });
    expect(store.list()).toEqual([]);
    expect(warn.mock.calls[0][0]).toMatch(/not valid JSON/);
    expect(readdirSync(path.dirname(file)).some((f) => f.startsWith('secrets.json.corrupt-'))).toBe(true);
  });
});

describe('desktop settings', () => {
  it('persists window state and theme through electron-store', () => {
    const cwd = mkdtempSync(path.join(os.tmpdir(), 'hookline-settings-'));
    const a = createSettings({ cwd });
    expect(a.get('theme')).toBe('system');
    expect(a.get('window')).toEqual({ maximized: false });
    a.set('window', { bounds: { x: 5, y: 6, width: 1000, height: 700 }, maximized: true });
    a.set('theme', 'dark');
    const b = createSettings({ cwd });
    expect(b.get('window')).toEqual({ bounds: { x: 5, y: 6, width: 1000, height: 700 }, maximized: true });
    expect(b.get('theme')).toBe('dark');
    expect(b.path.startsWith(cwd)).toBe(true);
  });

  it('restores bounds only when the window would be visible', () => {
    const screens = [{ x: 0, y: 0, width: 1920, height: 1080 }];
    expect(restorableBounds({ x: 100, y: 100, width: 1200, height: 800 }, screens)).toEqual({ x: 100, y: 100, width: 1200, height: 800 });
    // Saved on a monitor that is gone: keep the size, let the OS place it.
    expect(restorableBounds({ x: 4000, y: 100, width: 1200, height: 800 }, screens)).toEqual({ width: 1200, height: 800 });
    expect(restorableBounds({ x: 100, y: -700, width: 1200, height: 800 }, screens)).toEqual({ width: 1200, height: 800 });
    expect(restorableBounds({ x: 0, y: 0, width: 10, height: 10 }, screens)).toBeUndefined();
    expect(restorableBounds(undefined, screens)).toBeUndefined();
  });
});
