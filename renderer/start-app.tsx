import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { getHost, isDesktop } from './host';
import { createLiveStore } from './state/live-store';
import { createViewStore } from './state/view-store';
import { createWorkspace } from './state/workspace';
import { keepSelectionInSync } from './state/selection-sync';
import { setEnvSample } from './editor/env-sample';
import { guardUnsavedChanges } from './state/unsaved-guard';

const host = getHost();
const live = createLiveStore();
const stores = { host, live, view: createViewStore(), workspace: createWorkspace(host, live) };
keepSelectionInSync(stores.workspace, stores.view);
// The editors complete and check `$env` against the active environment.
stores.workspace.subscribe((s, prev) => s.environments !== prev.environments && setEnvSample(s.environments));
guardUnsavedChanges(stores.workspace, window, { prompt: !isDesktop() });
// Opening (or creating) the first flow needs no React, and the start-up reads it waits for are answered by now or
// soon (main.tsx sent them). The first render waits for it, briefly, so the studio is rendered and laid out once
// with its canvas instead of first as a loading screen; the shell awaits this same run and shows its error.
const FIRST_RENDER_WAIT_MS = 400;
const opened = stores.workspace.getState().init().catch(() => {});
void Promise.race([opened, new Promise((r) => setTimeout(r, FIRST_RENDER_WAIT_MS))]).then(() =>
  createRoot(document.getElementById('root')!).render(
    <StrictMode>
      <App stores={stores} />
    </StrictMode>,
  ),
);
