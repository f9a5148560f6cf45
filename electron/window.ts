import { promises as fs } from 'node:fs';
import type { BrowserWindowConstructorOptions, Protocol, Session, WebContents } from 'electron';
import { resolveStaticFile, securityHeaders, studioCsp } from '../core/host/transport-static';

/** The packaged renderer is served from this privileged custom scheme rather than file:// (see README). */
export const APP_SCHEME = 'app';
export const APP_ORIGIN = 'app://hookline';
export const APP_INDEX_URL = `${APP_ORIGIN}/index.html`;

export interface WindowBounds {
  x?: number;
  y?: number;
  width: number;
  height: number;
}

/** Window options: the renderer is untrusted, so it gets no Node, a sandbox and an isolated preload world. */
export function mainWindowOptions(preloadPath: string, bounds?: WindowBounds): BrowserWindowConstructorOptions {
  return {
    width: bounds?.width ?? 1400,
    height: bounds?.height ?? 900,
    ...(bounds?.x !== undefined && bounds?.y !== undefined ? { x: bounds.x, y: bounds.y } : {}),
    minWidth: 900,
    minHeight: 600,
    show: false,
    title: 'Hookline Studio',
    backgroundColor: '#1e1e1e',
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
      spellcheck: false,
    },
  };
}

/** Links the app may hand to the system browser: http(s) only, never file:, javascript: or custom schemes. */
export function isExternalLink(url: string): boolean {
  try {
    const u = new URL(url);
    return (u.protocol === 'https:' || u.protocol === 'http:') && !u.username && !u.password;
  } catch {
    return false;
  }
}

/**
 * Blocks every navigation away from the app and every new window; http(s) links open in the system
 * browser instead. Applied to every WebContents the app creates.
 */
export function hardenWebContents(wc: WebContents, isAppUrl: (url: string) => boolean, openExternal: (url: string) => void): void {
  wc.setWindowOpenHandler(({ url }) => {
    if (isExternalLink(url)) openExternal(url);
    return { action: 'deny' };
  });
  const guard = (event: { preventDefault(): void }, url: string) => {
    if (isAppUrl(url)) return;
    event.preventDefault();
    if (isExternalLink(url)) openExternal(url);
  };
  wc.on('will-navigate', (event, url) => guard(event, url));
  wc.on('will-redirect', (event, url) => guard(event, url));
  wc.on('will-attach-webview', (event) => event.preventDefault());
}

/** The desktop CSP: `script-src 'self'`, plus what the dev server needs when one is used. */
export function desktopCsp(devUrl?: string): string {
  if (!devUrl) return studioCsp();
  const dev = new URL(devUrl);
  // Dev only: Vite's client talks to its origin over ws for hot reload, and the React refresh
  // preamble is an inline script. Packaged builds never take this branch.
  return studioCsp([`ws://${dev.host}`, dev.origin], ["'unsafe-inline'", dev.origin]);
}

/** CSP on every response of the session and no permissions (except writing to the clipboard for "copy"). */
export function installSessionPolicy(ses: Session, csp: string): void {
  ses.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [csp] } });
  });
  ses.setPermissionRequestHandler((_wc, permission, callback) => callback(permission === 'clipboard-sanitized-write'));
  ses.setPermissionCheckHandler((_wc, permission) => permission === 'clipboard-sanitized-write');
}

/** Serves dist/renderer on app://hookline/ with the same path rules and headers as the browser studio. */
export function serveRenderer(protocol: Pick<Protocol, 'handle'>, rendererDir: string, csp: string): void {
  protocol.handle(APP_SCHEME, async (request) => {
    const url = new URL(request.url);
    if (url.host !== new URL(APP_ORIGIN).host || request.method !== 'GET') return new Response('not found', { status: 404 });
    const found = await resolveStaticFile(rendererDir, url.pathname);
    if (!found) return new Response('not found', { status: 404 });
    const body = await fs.readFile(found.file);
    return new Response(body, { status: 200, headers: { ...securityHeaders(csp), 'Content-Type': found.contentType } });
  });
}
