import type { IpcRendererEvent } from 'electron';
import { HOST_EVENT_CHANNEL, HOST_METHODS, hostChannel } from '../core/host/api';
import type { RunEvent } from '../core/runtime/events';
import { MENU_ACTIONS, menuChannel, type DesktopBridge, type MenuAction } from '../core/host/transport-wire';

/** The slice of `ipcRenderer` the bridge uses. It is captured here and never handed to the page. */
export interface IpcRendererLike {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: (event: IpcRendererEvent, ...args: any[]) => void): unknown;
  removeListener(channel: string, listener: (...args: any[]) => void): unknown;
}

/**
 * Builds `window.hookline`: one function per HostApi method, each bound to its fixed channel and
 * answering with the wire envelope (renderer/host unwraps it), plus `onEvent` and `onMenu`. The page can
 * call these and nothing else; the Electron event object (which carries `sender`) never reaches it.
 */
export function buildDesktopBridge(ipc: IpcRendererLike): DesktopBridge {
  const bridge: Record<string, unknown> = {};
  for (const m of HOST_METHODS) {
    const channel = hostChannel(m);
    bridge[m] = (...args: unknown[]) => ipc.invoke(channel, ...args);
  }
  bridge.onEvent = (cb: (e: RunEvent) => void) => {
    const listener = (_e: IpcRendererEvent, event: RunEvent) => cb(event);
    ipc.on(HOST_EVENT_CHANNEL, listener);
    return () => void ipc.removeListener(HOST_EVENT_CHANNEL, listener);
  };
  bridge.onMenu = (cb: (action: MenuAction) => void) => {
    const offs = MENU_ACTIONS.map((action) => {
      const listener = () => cb(action);
      ipc.on(menuChannel(action), listener);
      return () => void ipc.removeListener(menuChannel(action), listener);
    });
    return () => offs.forEach((off) => off());
  };
  return bridge as unknown as DesktopBridge;
}
