import type { IpcMainInvokeEvent } from 'electron';
import { HOST_EVENT_CHANNEL, HOST_METHODS, hostChannel, type HostApi } from '../core/host/api';
import type { RunEvent } from '../core/runtime/events';
import { invokeHostMethod, type WireResult } from '../core/host/transport-wire';

/** The slice of `ipcMain` the binding needs (so tests pass a recorder instead of Electron). */
export interface IpcMainLike {
  handle(channel: string, listener: (event: IpcMainInvokeEvent, ...args: any[]) => unknown): void;
  removeHandler(channel: string): void;
}

/**
 * Binds every HostApi method to its own channel `host:<method>` (no generic passthrough). Each call
 * is checked against `isTrustedSender` and its arguments against `hostMethodArgs` before it reaches
 * the API, and answers with the same wire envelope as the HTTP transport. Returns an unbind function.
 */
export function bindHostApi(ipcMain: IpcMainLike, api: HostApi, isTrustedSender: (event: IpcMainInvokeEvent) => boolean): () => void {
  for (const method of HOST_METHODS) {
    ipcMain.handle(hostChannel(method), async (event, ...args: unknown[]): Promise<WireResult> => {
      if (!isTrustedSender(event)) {
        console.warn(`hookline: rejected ${hostChannel(method)} from untrusted frame ${event.senderFrame?.url ?? '(gone)'}`);
        return { ok: false, error: { message: `${method}: caller is not the Hookline Studio window`, code: 'untrusted_sender' } };
      }
      return invokeHostMethod(api, method, args);
    });
  }
  return () => {
    for (const method of HOST_METHODS) ipcMain.removeHandler(hostChannel(method));
  };
}

/** Forwards every run event on `host:event`; returns the unsubscribe function. */
export function forwardHostEvents(api: HostApi, send: (channel: string, event: RunEvent) => void): () => void {
  return api.onEvent((event) => send(HOST_EVENT_CHANNEL, event));
}

/**
 * Trusts only the top-level frame of the app's own pages: `app://hookline/...` (the packaged renderer)
 * or the dev server origin. Sub-frames and any other origin are rejected.
 */
export function createSenderCheck(trustedOrigins: string[]): (event: IpcMainInvokeEvent) => boolean {
  const origins = new Set(trustedOrigins.map(originKey));
  return (event) => {
    const frame = event.senderFrame;
    if (!frame || frame.parent) return false;
    return isTrustedUrl(frame.url, origins);
  };
}

export function isTrustedUrl(url: string, origins: Set<string>): boolean {
  try {
    return origins.has(originKey(url));
  } catch {
    return false;
  }
}

/** `url => boolean` for "is this one of the app's own pages" (navigation guard). */
export function createUrlCheck(trustedOrigins: string[]): (url: string) => boolean {
  const origins = new Set(trustedOrigins.map(originKey));
  return (url) => isTrustedUrl(url, origins);
}

/**
 * `scheme://host[:port]`. Not `URL.origin`: Node's URL gives every non-special scheme (app:, file:)
 * the opaque origin "null", which would make app://hookline and file:///anything compare equal.
 */
function originKey(url: string): string {
  const u = new URL(url);
  if (!u.host) throw new Error(`${url}: no host`);
  return `${u.protocol}//${u.host}`;
}
