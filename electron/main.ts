// Electron entry, bundled to dist-electron/main.cjs by scripts/start.mjs.
import path from 'node:path';
import { startHostedRuntime } from '../core/host/studio';
import { registerAppScheme, runShell } from './app';

registerAppScheme();
void runShell({
  startRuntime: startHostedRuntime,
  rendererDir: path.join(__dirname, '..', 'dist', 'renderer'),
  preloadPath: path.join(__dirname, 'preload.cjs'),
  devUrl: process.env.HOOKLINE_DEV_URL || undefined,
});
