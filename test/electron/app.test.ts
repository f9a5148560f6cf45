import { beforeAll, describe, expect, it, vi } from 'vitest';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

vi.mock('electron', async () => (await import('./electron-mock')).electronMock.module);
vi.mock('electron-store', () => import('./electron-store-mock'));

import { electronMock, FakeBrowserWindow, FakeWebContents } from './electron-mock';
import { registerAppScheme, runShell, webhookPort, type StartRuntime } from '../../electron/app';
import { SafeStorageSecretStore } from '../../electron/safe-storage-secrets';
import { HOST_EVENT_CHANNEL, HOST_METHODS, hostChannel } from '../../core/host/api';
import { MENU_ACTIONS } from '../../core/host/transport-wire';
import { createFakeHost } from '../host/fake-host';

const fake = createFakeHost();
const closeRuntime = vi.fn(async () => {});
const startRuntime = vi.fn<StartRuntime>(async () => ({ api: fake.api, close: closeRuntime }));
let rendererDir: string;
let shell: Awaited<ReturnType<typeof runShell>>;

beforeAll(async () => {
  const root = mkdtempSync(path.join(os.tmpdir(), 'hookline-shell-'));
  rendererDir = path.join(root, 'renderer');
  mkdirSync(path.join(rendererDir, 'assets'), { recursive: true });
  writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>studio</title>');
  writeFileSync(path.join(rendererDir, 'assets', 'app.js'), 'export {}');
  writeFileSync(path.join(root, 'outside.txt'), 'outside');
  registerAppScheme();
  shell = await runShell({ startRuntime, rendererDir, preloadPath: '/app/dist-electron/preload.cjs' });
});

const win = () => FakeBrowserWindow.all[0];
const trusted = { senderFrame: { url: 'app://hookline/index.html', parent: null } };

describe('runShell', () => {
  it('creates one sandboxed, isolated window without Node and loads the app protocol', () => {
    expect(shell).toBeDefined();
    expect(FakeBrowserWindow.all).toHaveLength(1);
    const prefs = win().options.webPreferences;
    expect(prefs).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      preload: '/app/dist-electron/preload.cjs',
    });
    expect(win().loadedUrl).toBe('app://hookline/index.html');
    expect(electronMock.privilegedSchemes).toEqual([{ scheme: 'app', privileges: expect.objectContaining({ standard: true, secure: true }) }]);
  });

  it('starts the runtime in userData with the safeStorage secret store and example seeding', () => {
    expect(startRuntime).toHaveBeenCalledTimes(1);
    const arg = startRuntime.mock.calls[0][0];
    expect(arg.dataDir).toBe(electronMock.userData);
    expect(arg.secrets).toBeInstanceOf(SafeStorageSecretStore);
    expect(arg.seedExamples).toBe(true);
    // A stable webhook port (partners call those URLs), with a free one instead when it is taken.
    expect(arg.port).toBe(8080);
    expect(arg.portInUse).toBe('any');
  });

  it('takes the webhook port from HOOKLINE_PORT when it is a port number', () => {
    expect(webhookPort({})).toBe(8080);
    expect(webhookPort({ HOOKLINE_PORT: '9090' })).toBe(9090);
    for (const bad of ['0', '70000', 'abc', '80.5', '']) expect(webhookPort({ HOOKLINE_PORT: bad })).toBe(8080);
  });

  it('binds exactly HOST_METHODS mapped by hostChannel', () => {
    expect([...electronMock.handlers.keys()].sort()).toEqual(HOST_METHODS.map(hostChannel).sort());
  });

  it('validates arguments and rejects untrusted senders on the real binding', async () => {
    const before = fake.calls.length;
    const bad = (await electronMock.handlers.get('host:deploy')!(trusted, 42)) as any;
    expect(bad.error.code).toBe('invalid_args');
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const evil = (await electronMock.handlers.get('host:listFlows')!({ senderFrame: { url: 'https://evil.example/', parent: null } })) as any;
    warn.mockRestore();
    expect(evil.error.code).toBe('untrusted_sender');
    expect(fake.calls.length).toBe(before);
    const ok = (await electronMock.handlers.get('host:listFlows')!(trusted)) as any;
    expect(ok.ok).toBe(true);
  });

  it('blocks navigation and window.open; only http(s) links go to the system browser', () => {
    const wc = new FakeWebContents();
    electronMock.appEvents.emit('web-contents-created', {}, wc);
    const open = (url: string) => wc.openHandler!({ url });
    for (const url of ['https://docs.hookline.dev/', 'http://127.0.0.1:8080/orders', 'file:///etc/passwd', 'javascript:alert(1)', 'smb://host/share', 'app://hookline/index.html']) {
      expect(open(url)).toEqual({ action: 'deny' });
    }
    expect(electronMock.openExternal.mock.calls.map((c) => c[0])).toEqual(['https://docs.hookline.dev/', 'http://127.0.0.1:8080/orders']);
    const navigate = (url: string) => {
      const event = { preventDefault: vi.fn() };
      wc.emit('will-navigate', event, url);
      return event.preventDefault.mock.calls.length > 0;
    };
    expect(navigate('https://evil.example/')).toBe(true);
    expect(navigate('file:///etc/passwd')).toBe(true);
    expect(navigate('app://hookline/index.html#/flows')).toBe(false);
    const redirect = { preventDefault: vi.fn() };
    wc.emit('will-redirect', redirect, 'https://evil.example/');
    expect(redirect.preventDefault).toHaveBeenCalled();
    const webview = { preventDefault: vi.fn() };
    wc.emit('will-attach-webview', webview);
    expect(webview.preventDefault).toHaveBeenCalled();
  });

  it("sets a CSP with script-src 'self' on responses and denies permissions except clipboard writes", () => {
    let headers: any;
    electronMock.headersHook!({ responseHeaders: { 'X-Test': ['1'] } }, (r) => (headers = r.responseHeaders));
    expect(headers['X-Test']).toEqual(['1']);
    expect(headers['Content-Security-Policy'][0]).toContain("script-src 'self'");
    expect(headers['Content-Security-Policy'][0]).not.toContain('unsafe-eval');
    const answer = (p: string) => {
      let ok: boolean | undefined;
      electronMock.permissionRequest!({}, p, (v) => (ok = v));
      return ok;
    };
    expect(answer('media')).toBe(false);
    expect(answer('geolocation')).toBe(false);
    expect(answer('clipboard-sanitized-write')).toBe(true);
  });

  it('serves the renderer on app://hookline with CSP and without traversal', async () => {
    const get = (url: string) => electronMock.protocolHandler!(new Request(url));
    const index = await get('app://hookline/index.html');
    expect(index.status).toBe(200);
    expect(index.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(index.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(await index.text()).toContain('studio');
    expect((await get('app://hookline/assets/app.js')).headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    for (const url of ['app://hookline/%2e%2e/outside.txt', 'app://hookline/..%2Foutside.txt', 'app://other/index.html']) {
      const res = await get(url);
      expect(res.status, url).toBe(404);
      expect(await res.text()).not.toContain('outside');
    }
  });

  it('has a menu with New, Open, Save, Import, Export, Undo, Redo, Deploy sending menu:<action>', () => {
    const items: any[] = [];
    const walk = (list: any[]) => list.forEach((i) => (items.push(i), i.submenu && walk(i.submenu)));
    walk(electronMock.menu.template);
    const clickable = items.filter((i) => typeof i.click === 'function');
    expect(clickable.map((i) => i.label)).toEqual(['New Flow', 'Open…', 'Save', 'Import Flow…', 'Export Flow…', 'Undo', 'Redo', 'Deploy']);
    win().webContents.sent.length = 0;
    clickable.forEach((i) => i.click());
    expect(win().webContents.sent.map((s) => s.channel)).toEqual(MENU_ACTIONS.map((a) => `menu:${a}`));
    // Undo/Redo must not steal Ctrl+Z from text fields.
    expect(clickable.find((i) => i.label === 'Undo').registerAccelerator).toBe(false);
  });

  it('forwards run events to the window on host:event', () => {
    win().webContents.sent.length = 0;
    fake.emit({ type: 'flow.deployed', flowId: 'orders', revision: 1, at: 'now' });
    expect(win().webContents.sent).toEqual([{ channel: HOST_EVENT_CHANNEL, args: [{ type: 'flow.deployed', flowId: 'orders', revision: 1, at: 'now' }] }]);
  });

  it('saves the window state on close and stops the runtime before quitting', async () => {
    win().emit('close');
    expect(shell!.settings.get('window')).toEqual({ bounds: { x: 10, y: 20, width: 1200, height: 800 }, maximized: false });
    const quitEvent = { preventDefault: vi.fn() };
    electronMock.appEvents.emit('will-quit', quitEvent);
    expect(quitEvent.preventDefault).toHaveBeenCalled();
    expect(closeRuntime).toHaveBeenCalledTimes(1);
    for (let i = 0; i < 100 && electronMock.module.app.quit.mock.calls.length === 0; i++) await new Promise((r) => setTimeout(r, 5));
    expect(electronMock.module.app.quit).toHaveBeenCalled();
    expect(electronMock.handlers.size).toBe(0);
    // The second will-quit (from app.quit) goes through.
    const second = { preventDefault: vi.fn() };
    electronMock.appEvents.emit('will-quit', second);
    expect(second.preventDefault).not.toHaveBeenCalled();
  });
});
