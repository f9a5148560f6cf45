import Store from 'electron-store';
import type { WindowBounds } from './window';

/** Desktop-only settings (window state, UI preferences). Flows live in the runtime's data dir, not here. */
export interface DesktopSettings {
  window: { bounds?: WindowBounds; maximized: boolean };
  theme: 'system' | 'light' | 'dark';
  lastFlowId?: string;
}

const DEFAULTS: DesktopSettings = { window: { maximized: false }, theme: 'system' };

export interface SettingsStore {
  get<K extends keyof DesktopSettings>(key: K): DesktopSettings[K];
  set<K extends keyof DesktopSettings>(key: K, value: DesktopSettings[K]): void;
  readonly path: string;
}

/** electron-store is used only here (lint rule). `cwd` is for tests; the app uses userData. */
export function createSettings(opts: { cwd?: string } = {}): SettingsStore {
  const store = new Store<DesktopSettings>({
    name: 'settings',
    defaults: DEFAULTS,
    ...(opts.cwd ? { cwd: opts.cwd } : {}),
    clearInvalidConfig: true,
  });
  return {
    get: (key) => store.get(key),
    set: (key, value) => {
      if (value === undefined) store.delete(key);
      else store.set(key, value as Exclude<DesktopSettings[typeof key], undefined>);
    },
    get path() {
      return store.path;
    },
  };
}

interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/**
 * Restores saved bounds only if enough of the window (100 x 50 px of its title area) lands on a
 * connected display; a window saved on an unplugged monitor would otherwise open off-screen.
 */
export function restorableBounds(saved: WindowBounds | undefined, workAreas: Rect[]): WindowBounds | undefined {
  if (!saved || !(saved.width >= 400 && saved.height >= 300)) return undefined;
  if (saved.x === undefined || saved.y === undefined) return { width: saved.width, height: saved.height };
  const { x, y } = saved;
  const visible = workAreas.some((a) => {
    const w = Math.min(x + saved.width, a.x + a.width) - Math.max(x, a.x);
    const h = Math.min(y + 50, a.y + a.height) - Math.max(y, a.y);
    return w >= 100 && h >= 50;
  });
  return visible ? saved : { width: saved.width, height: saved.height };
}
