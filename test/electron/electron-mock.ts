import { EventEmitter } from 'node:events';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { vi } from 'vitest';

/**
 * A recording stand-in for the `electron` module (the binary cannot run here). Tests mock
 * 'electron' with `electronMock.module` and read what the shell did from `electronMock`.
 */
export class FakeWebContents extends EventEmitter {
  sent: Array<{ channel: string; args: unknown[] }> = [];
  openHandler?: (d: { url: string }) => { action: string };
  send(channel: string, ...args: unknown[]) {
    this.sent.push({ channel, args });
  }
  setWindowOpenHandler(h: (d: { url: string }) => { action: string }) {
    this.openHandler = h;
  }
}

export class FakeBrowserWindow extends EventEmitter {
  static all: FakeBrowserWindow[] = [];
  static getAllWindows() {
    return FakeBrowserWindow.all;
  }
  webContents = new FakeWebContents();
  loadedUrl?: string;
  destroyed = false;
  constructor(public options: any) {
    super();
    FakeBrowserWindow.all.push(this);
  }
  loadURL(url: string) {
    this.loadedUrl = url;
    return Promise.resolve();
  }
  isDestroyed() {
    return this.destroyed;
  }
  show() {}
  maximize() {}
  isMaximized() {
    return false;
  }
  isMinimized() {
    return false;
  }
  restore() {}
  focus() {}
  getNormalBounds() {
    return { x: 10, y: 20, width: 1200, height: 800 };
  }
}

function createState() {
  const userData = mkdtempSync(path.join(os.tmpdir(), 'hookline-electron-'));
  const appEvents = new EventEmitter();
  const handlers = new Map<string, (event: any, ...args: any[]) => unknown>();
  const rendererListeners = new Map<string, Set<(...a: any[]) => void>>();
  const state = {
    userData,
    appEvents,
    handlers,
    rendererListeners,
    exposed: new Map<string, any>(),
    menu: undefined as any,
    protocolHandler: undefined as undefined | ((req: Request) => Promise<Response>),
    privilegedSchemes: [] as any[],
    headersHook: undefined as undefined | ((d: any, cb: (r: any) => void) => void),
    permissionRequest: undefined as undefined | ((wc: unknown, p: string, cb: (ok: boolean) => void) => void),
    openExternal: vi.fn(async (_url: string) => {}),
    invoked: [] as Array<{ channel: string; args: unknown[] }>,
    safeStorageBackend: 'gnome_libsecret',
  };
  const app = {
    isPackaged: false,
    requestSingleInstanceLock: () => true,
    whenReady: () => Promise.resolve(),
    on: (event: string, cb: (...a: any[]) => void) => void appEvents.on(event, cb),
    quit: vi.fn(),
    exit: vi.fn(),
    getPath: (_name: string) => userData,
    getVersion: () => '0.1.0',
  };
  const ipcMain = {
    handle: (channel: string, fn: (event: any, ...args: any[]) => unknown) => {
      if (handlers.has(channel)) throw new Error(`second handler for ${channel}`);
      handlers.set(channel, fn);
    },
    removeHandler: (channel: string) => void handlers.delete(channel),
    on: vi.fn(),
  };
  const ipcRenderer = {
    invoke: async (channel: string, ...args: unknown[]) => {
      state.invoked.push({ channel, args });
      return { ok: true, result: { channel, args } };
    },
    on: (channel: string, fn: (...a: any[]) => void) => {
      if (!rendererListeners.has(channel)) rendererListeners.set(channel, new Set());
      rendererListeners.get(channel)!.add(fn);
    },
    removeListener: (channel: string, fn: (...a: any[]) => void) => void rendererListeners.get(channel)?.delete(fn),
    send: vi.fn(),
    sendSync: vi.fn(),
  };
  const module = {
    app,
    ipcMain,
    ipcRenderer,
    BrowserWindow: FakeBrowserWindow,
    Menu: {
      buildFromTemplate: (template: any) => ({ template }),
      setApplicationMenu: (m: any) => void (state.menu = m),
    },
    protocol: {
      registerSchemesAsPrivileged: (s: any[]) => void state.privilegedSchemes.push(...s),
      handle: (_scheme: string, h: (req: Request) => Promise<Response>) => void (state.protocolHandler = h),
    },
    session: {
      defaultSession: {
        webRequest: { onHeadersReceived: (h: any) => void (state.headersHook = h) },
        setPermissionRequestHandler: (h: any) => void (state.permissionRequest = h),
        setPermissionCheckHandler: vi.fn(),
      },
    },
    shell: { openExternal: state.openExternal, openPath: vi.fn() },
    dialog: { showErrorBox: vi.fn() },
    screen: { getAllDisplays: () => [{ workArea: { x: 0, y: 0, width: 1920, height: 1080 } }] },
    safeStorage: {
      isEncryptionAvailable: () => true,
      encryptString: (s: string) => Buffer.from(`enc:${Buffer.from(s).toString('base64')}`),
      decryptString: (b: Buffer) => Buffer.from(b.toString().slice(4), 'base64').toString(),
      getSelectedStorageBackend: () => state.safeStorageBackend,
    },
    contextBridge: {
      exposeInMainWorld: (key: string, value: unknown) => void state.exposed.set(key, value),
    },
  };
  return Object.assign(state, { module: { ...module, default: module } });
}

export const electronMock = createState();
