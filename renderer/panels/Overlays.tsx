import { useEffect } from 'react';
import { useApp, useView } from '../app-context';
import { SHORTCUTS } from '../canvas/use-shortcuts';

export function CheatSheet() {
  const { view } = useApp();
  const open = useView((s) => s.cheatSheetOpen);
  if (!open) return null;
  return (
    <div className="hl-modal-backdrop" onClick={() => view.getState().toggle('cheatSheetOpen', false)}>
      <div className="hl-modal" data-testid="cheat-sheet" onClick={(e) => e.stopPropagation()}>
        <h3>Keyboard shortcuts</h3>
        <table>
          <tbody>
            {SHORTCUTS.map(([k, d]) => (
              <tr key={k}>
                <td><kbd>{k}</kbd></td>
                <td>{d}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}

export function Toast() {
  const { view } = useApp();
  const toast = useView((s) => s.toast);
  useEffect(() => {
    if (!toast) return;
    const t = setTimeout(() => view.getState().dismissToast(), toast.action ? 8000 : 4000);
    return () => clearTimeout(t);
  }, [toast, view]);
  if (!toast) return null;
  // Above the bottom panel (open or not), so it covers neither the panel's buttons nor what opens at the top (the
  // problems list); at the window's foot where there is no panel.
  const panelTop = document.querySelector('[data-testid="bottom-panel"]')?.getBoundingClientRect().top;
  const style = panelTop === undefined ? undefined : { bottom: Math.max(16, window.innerHeight - panelTop + 12) };
  return (
    <div className="hl-toast" data-testid="toast" role="status" style={style}>
      <span>{toast.text}</span>
      {toast.action && (
        <button
          className="hl-link-btn"
          data-testid="toast-action"
          onClick={() => {
            toast.action!.run();
            view.getState().dismissToast();
          }}
        >
          {toast.action.label}
        </button>
      )}
    </div>
  );
}
