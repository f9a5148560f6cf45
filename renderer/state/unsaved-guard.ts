import type { Workspace } from './workspace';

/**
 * Edits wait AUTOSAVE_MS before they are saved; a reload or a closed tab in that window would drop them
 * silently. On `beforeunload` a pending save starts at once, and in the browser the page also asks the user to
 * stay (the browser's own "Leave site?" dialog) until it is saved. The desktop app does not prompt: Electron
 * would cancel the close without any dialog, and its IPC call leaves before the window goes.
 */
export function guardUnsavedChanges(workspace: Workspace, target: Pick<Window, 'addEventListener' | 'removeEventListener'>, opts: { prompt: boolean }): () => void {
  const onBeforeUnload = (e: BeforeUnloadEvent) => {
    const status = workspace.getState().saveStatus;
    if (status !== 'dirty' && status !== 'saving' && status !== 'error') return;
    void workspace.getState().saveNow().catch(() => {});
    if (!opts.prompt) return;
    e.preventDefault(); // current Chromium, Firefox and Safari prompt on this alone
  };
  target.addEventListener('beforeunload', onBeforeUnload as EventListener);
  return () => target.removeEventListener('beforeunload', onBeforeUnload as EventListener);
}
