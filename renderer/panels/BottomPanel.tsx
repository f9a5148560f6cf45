import { useApp, useView } from '../app-context';
import { Icon } from '../icons';
import { Executions } from './ExecutionsPanel';
import { TestRequestPanel } from './TestRequestPanel';

export function BottomPanel() {
  const { view } = useApp();
  const open = useView((s) => s.bottomOpen);
  const tab = useView((s) => s.bottomTab);
  return (
    <section className={`hl-bottom${open ? ' open' : ''}`} data-testid="bottom-panel">
      <header className="hl-tabs">
        {(['executions', 'test'] as const).map((t) => (
          <button key={t} className={`hl-tab${open && tab === t ? ' active' : ''}`} data-testid={`tab-${t}`} onClick={() => (open && tab === t ? view.getState().toggle('bottomOpen', false) : view.getState().showBottom(t))}>
            {t === 'executions' ? 'Executions' : 'Test request'}
          </button>
        ))}
        <div className="hl-grow" />
        <button className="hl-icon-btn sm" title="Toggle panel (Ctrl+J)" data-testid="toggle-bottom" onClick={() => view.getState().toggle('bottomOpen')}>
          <Icon name="chevron" size={13} className={open ? 'rot-90' : 'rot--90'} />
        </button>
      </header>
      {open && <div className="hl-bottom-body">{tab === 'executions' ? <Executions /> : <TestRequestPanel />}</div>}
    </section>
  );
}
