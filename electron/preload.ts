// Sandboxed preload: bundled to dist-electron/preload.cjs. Exposes only the typed bridge.
import { contextBridge, ipcRenderer } from 'electron';
import { buildDesktopBridge } from './preload-bridge';

contextBridge.exposeInMainWorld('hookline', buildDesktopBridge(ipcRenderer));
