import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { getHost } from './host';
import { createLiveStore } from './state/live-store';
import { createViewStore } from './state/view-store';
import { createWorkspace } from './state/workspace';

const host = getHost();
const live = createLiveStore();
const stores = { host, live, view: createViewStore(), workspace: createWorkspace(host, live) };
// Before the first render: the start-up reads are answered by now or soon, and opening (or creating) the first
// flow needs no React. The shell awaits this same run and shows its error.
stores.workspace.getState().init().catch(() => {});

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App stores={stores} />
  </StrictMode>,
);
