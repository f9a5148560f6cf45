import { useState, type PointerEvent as ReactPointerEvent } from 'react';
import { useApp, useView } from '../app-context';
import { Icon } from '../icons';
import { Executions } from './ExecutionsPanel';
import { TestRequestPanel } from './TestRequestPanel';

const HEIGHT_KEY = 'hookline.bottomHeight';
const MIN_HEIGHT = 160;
/** The canvas keeps at least this much of the window. */
const CANVAS_MIN = 220;

const clampHeight = (h: number) => Math.round(Math.max(MIN_HEIGHT, Math.min(h, window.innerHeight - CANVAS_MIN)));

function storedHeight(): number | undefined {
  try {
    const h = Number(localStorage.getItem(HEIGHT_KEY));
    return h >= MIN_HEIGHT ? h : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Executions and Test request under the canvas. Its top edge drags to make it taller (a long step input, many
 * attempts) or shorter (more canvas); the height is kept for the next visit, double-click goes back to the default.
 */
export function BottomPanel() {
  const { view } = useApp();
  const open = useView((s) => s.bottomOpen);
  const tab = useView((s) => s.bottomTab);
  const [height, setHeight] = useState<number | undefined>(storedHeight);
  const drag = (e: ReactPointerEvent<HTMLDivElement>) => {
    const startY = e.clientY;
    const start = (e.currentTarget.parentElement as HTMLElement).getBoundingClientRect().height;
    const el = e.currentTarget;
    el.setPointerCapture(e.pointerId);
    let last = start;
    const move = (ev: PointerEvent) => setHeight((last = clampHeight(start + startY - ev.clientY)));
    const up = () => {
      el.removeEventListener('pointermove', move);
      el.removeEventListener('pointerup', up);
      try {
        localStorage.setItem(HEIGHT_KEY, String(last));
      } catch {
        /* private mode: the height lasts for this page only */
      }
    };
    el.addEventListener('pointermove', move);
    el.addEventListener('pointerup', up);
  };
  const reset = () => {
    setHeight(undefined);
    try {
      localStorage.removeItem(HEIGHT_KEY);
    } catch {
      /* nothing kept */
    }
  };
  return (
    <section className={`hl-bottom${open ? ' open' : ''}`} data-testid="bottom-panel" style={open && height ? { height: clampHeight(height) } : undefined}>
      {open && <div className="hl-bottom-resize" data-testid="bottom-resize" title="Drag to resize (double-click: default height)" onPointerDown={drag} onDoubleClick={reset} />}
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
