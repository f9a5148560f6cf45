import type { HostApi } from '../../core/host/api';
import { hostFromWire, type MenuAction } from '../../core/host/transport-wire';
import { createHttpHost } from './http-client';
import { takeStudioToken } from './token';

let host: HostApi | undefined;

/**
 * The HostApi for this page, created once: over the Electron preload bridge (`window.hookline`) in
 * the desktop app, otherwise the HTTP + WebSocket client of the browser studio. Both throw the same
 * errors (HostProblemsError with `problems`, HostCallError with `code`).
 */
export function getHost(): HostApi {
  if (host) return host;
  if (window.hookline) return (host = hostFromWire(window.hookline));
  let storage: Storage | null = null;
  try {
    storage = window.sessionStorage;
  } catch {}
  const token = takeStudioToken({ location: window.location, history: window.history, storage }) ?? '';
  return (host = createHttpHost(window.location.origin, token));
}

/** True inside the Electron app (application menu, native file dialogs). */
export function isDesktop(): boolean {
  return typeof window !== 'undefined' && !!window.hookline;
}

/** Application-menu clicks in the desktop app; a no-op subscription in the browser. */
export function onMenu(cb: (action: MenuAction) => void): () => void {
  return window.hookline ? window.hookline.onMenu(cb) : () => {};
}

export type { HostApi } from '../../core/host/api';
export { HostCallError, HostProblemsError, type MenuAction } from '../../core/host/transport-wire';
