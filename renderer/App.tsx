import { useEffect, useState } from 'react';
import { ReactFlowProvider } from '@xyflow/react';
import { AppProvider, useApp, useView, useWorkspace, type AppStores } from './app-context';
import { Canvas } from './canvas/Canvas';
import { ConnectionsPage } from './connections/ConnectionsPage';
import { EnvironmentsPage } from './environments/EnvironmentsPage';
import { SubscriptionsPage } from './subscriptions/SubscriptionsPage';
import { Inspector } from './inspector/Inspector';
import { BottomPanel } from './panels/BottomPanel';
import { CheatSheet, Toast } from './panels/Overlays';
import { ProblemsPanel } from './panels/ProblemsPanel';
import { TopBar } from './panels/TopBar';
import { Sidebar } from './sidebar/Sidebar';
import { resolvedTheme } from './state/view-store';

function Shell() {
  const { view, live, host, workspace } = useApp();
  const ready = useWorkspace((s) => s.ready);
  const currentId = useWorkspace((s) => s.current?.id);
  const hasFlow = !!currentId;
  const sidebarOpen = useView((s) => s.sidebarOpen);
  const problemsOpen = useView((s) => s.problemsOpen);
  const page = useView((s) => s.page);
  const theme = useView((s) => resolvedTheme(s));
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    const mq = window.matchMedia('(prefers-color-scheme: dark)');
    view.getState().setSystemDark(mq.matches);
    const on = (e: MediaQueryListEvent) => view.getState().setSystemDark(e.matches);
    mq.addEventListener('change', on);
    return () => mq.removeEventListener('change', on);
  }, [view]);

  useEffect(() => {
    document.documentElement.dataset.theme = theme;
  }, [theme]);

  useEffect(() => {
    const off = host.onEvent((e) => {
      live.getState().handleEvent(e);
      if (e.type === 'flow.deployed' || e.type === 'flow.undeployed') void workspace.getState().refreshDeployments();
    });
    workspace
      .getState()
      .init()
      .catch((e) => setError(e?.message ?? String(e)));
    return off;
  }, [host, live, workspace]);

  const state = error ? 'error' : ready ? 'ready' : 'loading';
  useEffect(() => {
    document.getElementById('root')?.setAttribute('data-app-state', state);
  }, [state]);

  return (
    <div className="hl-app" data-testid="app" data-app-state={state}>
      <TopBar />
      <div className="hl-main">
        {sidebarOpen && <Sidebar />}
        {page !== 'canvas' ? (
          <div className="hl-center">{page === 'connections' ? <ConnectionsPage /> : page === 'environments' ? <EnvironmentsPage /> : <SubscriptionsPage />}</div>
        ) : (
        <div className="hl-center">
          <div className="hl-stage">
            {hasFlow ? <Canvas key={currentId} /> : <div className="hl-empty">{error ? `Cannot reach the studio host: ${error}` : 'Loading…'}</div>}
            {problemsOpen && <ProblemsPanel />}
          </div>
          <BottomPanel />
        </div>
        )}
        {hasFlow && page === 'canvas' && <Inspector />}
      </div>
      <CheatSheet />
      <Toast />
    </div>
  );
}

export function App({ stores }: { stores: AppStores }) {
  return (
    <AppProvider stores={stores}>
      <ReactFlowProvider>
        <Shell />
      </ReactFlowProvider>
    </AppProvider>
  );
}
