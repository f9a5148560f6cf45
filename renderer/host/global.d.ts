import type { DesktopBridge } from '../../core/host/transport-wire';

declare global {
  interface Window {
    /**
     * The Electron preload bridge; absent in the browser studio. Its methods answer with wire envelopes
     * (contextBridge would drop `problems` from thrown errors): call the HostApi through getHost().
     */
    hookline?: DesktopBridge;
  }
}

export type { DesktopBridge };
