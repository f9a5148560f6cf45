import path from 'node:path';
import { app, BrowserWindow, dialog, ipcMain, Menu, protocol, safeStorage, screen, session, shell } from 'electron';
import type { HostApi } from '../core/host/api';
import type { SecretStore } from '../core/secrets/secret-store';
import { menuChannel } from '../core/host/transport-wire';
import { bindHostApi, createSenderCheck, createUrlCheck, forwardHostEvents } from './ipc';
import { buildMenuTemplate } from './menu';
import { SafeStorageSecretStore } from './safe-storage-secrets';
import { createSettings, restorableBounds, type SettingsStore } from './settings';
import { APP_INDEX_URL, APP_ORIGIN, APP_SCHEME, desktopCsp, hardenWebContents, installSessionPolicy, mainWindowOptions, serveRenderer } from './window';

export type StartRuntime = (opts: { dataDir: string; secrets?: SecretStore; seedExamples?: boolean; port?: number; portInUse?: 'fail' | 'any' }) => Promise<{ api: HostApi; close(): Promise<void> }>;

/** The webhook port of the desktop app: `HOOKLINE_PORT`, else 8080 as the CLI's, so endpoint URLs stay the same across launches. */
export const DEFAULT_WEBHOOK_PORT = 8080;

export function webhookPort(env: Record<string, string | undefined> = process.env): number {
  const n = Number(env.HOOKLINE_PORT);
  return Number.isInteger(n) && n > 0 && n < 65536 ? n : DEFAULT_WEBHOOK_PORT;
}

export interface ShellOptions {
  startRuntime: StartRuntime;
  /** Built renderer (dist/renderer). */
  rendererDir: string;
  /** Bundled preload (dist-electron/preload.cjs). */
  preloadPath: string;
  /** Vite dev server URL (HOOKLINE_DEV_URL); otherwise the renderer is served from app://hookline. */
  devUrl?: string;
}

/** Must run before `app` is ready: app:// becomes a secure standard origin (fetch, workers, storage). */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
}

/**
 * Boots the desktop shell: session policy, renderer protocol, runtime, IPC binding, window and menu.
 * Thin by design: everything the user does goes through the HostApi into core.
 */
export async function runShell(opts: ShellOptions) {
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return undefined;
  }
  await app.whenReady();
  const csp = desktopCsp(opts.devUrl);
  installSessionPolicy(session.defaultSession, csp);
  serveRenderer(protocol, opts.rendererDir, csp);

  const trustedOrigins = [APP_ORIGIN, ...(opts.devUrl ? [opts.devUrl] : [])];
  const isAppUrl = createUrlCheck(trustedOrigins);
  app.on('web-contents-created', (_event, wc) => hardenWebContents(wc, isAppUrl, (url) => void shell.openExternal(url)));

  const userData = app.getPath('userData');
  const secrets = new SafeStorageSecretStore(path.join(userData, 'secrets.json'), safeStorage);
  let runtime: Awaited<ReturnType<StartRuntime>>;
  try {
    // First start: the example flows are copied in so the canvas is not empty. Webhooks keep their port from one
    // launch to the next (partners call those URLs); when something else holds it, they get a free one this time.
    runtime = await opts.startRuntime({ dataDir: userData, secrets, seedExamples: true, port: webhookPort(), portInUse: 'any' });
  } catch (err) {
    dialog.showErrorBox('Hookline Studio could not start', (err as Error).message);
    app.exit(1);
    return undefined;
  }
  const unbind = bindHostApi(ipcMain, runtime.api, createSenderCheck(trustedOrigins));
  const settings = createSettings();
  let win: BrowserWindow | undefined;
  const stopEvents = forwardHostEvents(runtime.api, (channel, event) => {
    if (win && !win.isDestroyed()) win.webContents.send(channel, event);
  });

  const openWindow = () => {
    win = createMainWindow(opts, settings);
    Menu.setApplicationMenu(
      Menu.buildFromTemplate(
        buildMenuTemplate((action) => win && !win.isDestroyed() && win.webContents.send(menuChannel(action)), {
          isMac: process.platform === 'darwin',
          isDev: !!opts.devUrl || !app.isPackaged,
        }),
      ),
    );
    void win.loadURL(opts.devUrl ?? APP_INDEX_URL);
    return win;
  };
  openWindow();

  app.on('second-instance', () => {
    if (!win || win.isDestroyed()) return;
    if (win.isMinimized()) win.restore();
    win.focus();
  });
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) openWindow();
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  let stopped = false;
  app.on('will-quit', (event) => {
    if (stopped) return;
    // Let the runtime finish accepted messages and close SQLite before the process exits.
    event.preventDefault();
    stopped = true;
    stopEvents();
    unbind();
    runtime.close().finally(() => app.quit());
  });
  return { window: () => win, runtime, settings };
}

function createMainWindow(opts: ShellOptions, settings: SettingsStore): BrowserWindow {
  const saved = settings.get('window');
  const bounds = restorableBounds(saved.bounds, screen.getAllDisplays().map((d) => d.workArea));
  const win = new BrowserWindow(mainWindowOptions(opts.preloadPath, bounds));
  if (saved.maximized) win.maximize();
  win.once('ready-to-show', () => win.show());
  win.on('close', () => {
    settings.set('window', { bounds: win.getNormalBounds(), maximized: win.isMaximized() });
  });
  return win;
}
