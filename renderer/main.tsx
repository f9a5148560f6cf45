import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import '@xyflow/react/dist/base.css';
import './styles/theme.css';
import './styles/app.css';
import './styles/canvas.css';
import './styles/panels.css';
import './styles/pages.css';
import { App } from './App';
import { getHost } from './host';
import { createLiveStore } from './state/live-store';
import { createViewStore } from './state/view-store';
import { createWorkspace } from './state/workspace';

const host = getHost();
const live = createLiveStore();
const stores = { host, live, view: createViewStore(), workspace: createWorkspace(host, live) };

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App stores={stores} />
  </StrictMode>,
);
