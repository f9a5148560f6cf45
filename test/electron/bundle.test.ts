import { beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import vm from 'node:vm';
import { promisify } from 'node:util';
import { HOST_METHODS, hostChannel } from '../../core/host/api';

const run = promisify(execFile);
const root = path.resolve(__dirname, '../..');

// The desktop app runs the esbuild bundles, not the sources: build them (renderer skipped) and boot
// dist-electron/main.cjs in Node with a stubbed `electron`, against the real runtime.
beforeAll(async () => {
  await run(process.execPath, ['scripts/start.mjs', '--build-only', '--skip-renderer'], { cwd: root, timeout: 60_000 });
}, 90_000);

describe('Electron bundles', () => {
  it('main.cjs boots the real runtime and binds every channel with checks', async () => {
    const userData = mkdtempSync(path.join(os.tmpdir(), 'hookline-bundle-'));
    const { stdout } = await run(process.execPath, ['-r', './test/electron/fixtures/electron-stub.cjs', 'dist-electron/main.cjs'], {
      cwd: root,
      timeout: 30_000,
      env: { ...process.env, HOOKLINE_TEST_USERDATA: userData },
    });
    const line = stdout.split('\n').find((l) => l.startsWith('RESULT '));
    expect(line, stdout).toBeDefined();
    const out = JSON.parse(line!.slice('RESULT '.length));
    expect(out.channels).toEqual(HOST_METHODS.map(hostChannel).sort());
    expect(out.window.url).toBe('app://hookline/index.html');
    expect(out.window.webPreferences).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false });
    expect(out.info).toMatchObject({ ok: true, result: { dataDir: userData, host: '127.0.0.1' } });
    expect(out.flows.ok).toBe(true);
    expect(out.bad.error.code).toBe('invalid_args');
    expect(out.untrusted.error.code).toBe('untrusted_sender');
    // The execution store writes on its writer thread (its own connection), not on Electron's main thread.
    expect(out.dbHandles).toBe(2);
    // Outbound requests run on the outbound thread, from the script built beside main.cjs (not on Electron's main thread).
    expect(out.test, JSON.stringify(out.test)).toMatchObject({ ok: true, result: { ok: true, exchange: { response: { status: 200 } } } });
    expect(out.workerScripts).toContain('hookline-outbound.cjs');
  }, 40_000);

  it('preload.cjs needs only electron and exposes just the typed bridge', () => {
    const code = readFileSync(path.join(root, 'dist-electron', 'preload.cjs'), 'utf8');
    const required: string[] = [];
    const exposed = new Map<string, any>();
    const ipcRenderer = { invoke: async () => ({ ok: true }), on() {}, removeListener() {} };
    const electron = { contextBridge: { exposeInMainWorld: (k: string, v: unknown) => exposed.set(k, v) }, ipcRenderer };
    // A sandboxed preload gets a `require` that knows only a few modules: simulate that.
    const sandboxRequire = (id: string) => {
      required.push(id);
      if (id === 'electron') return electron;
      throw new Error(`sandboxed preload cannot require ${id}`);
    };
    const module = { exports: {} };
    vm.runInNewContext(code, { require: sandboxRequire, module, exports: module.exports, console });
    expect(required).toEqual(['electron']);
    expect([...exposed.keys()]).toEqual(['hookline']);
    expect(Object.keys(exposed.get('hookline')).sort()).toEqual([...HOST_METHODS, 'onEvent', 'onMenu'].sort());
  });
});
