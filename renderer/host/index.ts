import { HOST_METHODS, type HostApi } from '../../core/host/api';
import { hostFromWire, type DesktopBridge, type MenuAction, type WireResult } from '../../core/host/transport-wire';
import { createHttpHost } from './http-client';
import { pageToken, takeStartupCall } from './startup-calls';

let host: HostApi | undefined;

/**
 * The HostApi for this page, created once: over the Electron preload bridge (`window.hookline`) in
 * the desktop app, otherwise the HTTP + WebSocket client of the browser studio. Both throw the same
 * errors (HostProblemsError with `problems`, HostCallError with `code`).
 */
export function getHost(): HostApi {
  if (host) return host;
  const bridge = window.hookline;
  if (bridge) {
    // The start-up reads were sent through the bridge already (startup-calls.ts): the first of each is answered by those.
    const wire: Record<string, unknown> = { onEvent: (cb: Parameters<DesktopBridge['onEvent']>[0]) => bridge.onEvent(cb) };
    for (const m of HOST_METHODS) wire[m] = (...args: unknown[]) => takeStartupCall(m, args) ?? (bridge[m] as (...a: unknown[]) => Promise<WireResult>)(...args);
    return (host = hostFromWire(wire as unknown as DesktopBridge));
  }
  return (host = createHttpHost(window.location.origin, pageToken(), { earlyAnswer: takeStartupCall }));
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
