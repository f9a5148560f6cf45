import { useState } from 'react';
import type { Flow } from '../../core/model/flow';
import { useApp } from '../app-context';
import { Icon } from '../icons';
import { connectionInUseText, connectionUses, type ConnectionUse } from './connection-usage';
import { errText } from './shared';

type DeleteState = { step: 'idle' | 'checking' | 'confirm' | 'deleting' } | { step: 'in-use'; uses: ConnectionUse[] } | { step: 'failed'; message: string };

/**
 * Deleting a connection: which nodes use it is checked first, so one in use is refused with their names
 * before anything is asked; only an unused one gets "Delete … and its secrets?". The host checks again on
 * delete (another window may have picked it meanwhile): its refusal is shown the same way.
 */
export function useConnectionDelete(connection: { id: string; name: string }, onDeleted: () => void) {
  const { host, workspace } = useApp();
  const [state, setState] = useState<DeleteState>({ step: 'idle' });

  /** Every flow as it is now: the open one with its unsaved edits, the others as saved. */
  const flowsNow = async (): Promise<Flow[]> => {
    const { flows, current } = workspace.getState();
    const open = current?.doc.get();
    const all = await Promise.all(flows.map((f) => (open && f.id === open.id ? open : host.getFlow(f.id).catch(() => null))));
    return all.filter((f): f is Flow => !!f);
  };
  const usesNow = async () => connectionUses(await flowsNow(), connection.id);

  const start = async () => {
    setState({ step: 'checking' });
    try {
      const uses = await usesNow();
      setState(uses.length ? { step: 'in-use', uses } : { step: 'confirm' });
    } catch (e) {
      setState({ step: 'failed', message: errText(e) });
    }
  };
  const confirm = async () => {
    setState({ step: 'deleting' });
    try {
      await host.deleteConnection(connection.id);
      setState({ step: 'idle' });
      onDeleted();
    } catch (e: any) {
      // The host names flows and nodes by id: name them as the user knows them when the flows say who.
      const uses = e?.code === 'in_use' ? await usesNow().catch(() => []) : [];
      setState(uses.length ? { step: 'in-use', uses } : { step: 'failed', message: `Cannot delete: ${errText(e)}` });
    }
  };
  return { connection, state, start: () => void start(), confirm: () => void confirm(), cancel: () => setState({ step: 'idle' }) };
}

type DeleteFlow = ReturnType<typeof useConnectionDelete>;

/** The form head's part: the Delete button, or the one confirmation an unused connection gets. */
export function DeleteConnectionButton({ del }: { del: DeleteFlow }) {
  const { state, connection } = del;
  if (state.step === 'confirm' || state.step === 'deleting')
    return (
      // Deleting cannot be undone and takes the secrets stored for this connection with it: asked once more.
      <span className="hl-confirm" role="alertdialog" data-testid="connection-delete-confirm-box">
        Delete “{connection.name || connection.id}” and the secrets stored for it?
        <button className="hl-btn danger sm" disabled={state.step === 'deleting'} data-testid="connection-delete-confirm" autoFocus onClick={del.confirm}>
          Delete
        </button>
        <button className="hl-btn ghost sm" data-testid="connection-delete-cancel" onClick={del.cancel}>
          Cancel
        </button>
      </span>
    );
  return (
    <button className="hl-btn ghost" disabled={state.step === 'checking'} data-testid="connection-delete" onClick={del.start}>
      <Icon name="trash" size={14} /> {state.step === 'checking' ? 'Checking…' : 'Delete'}
    </button>
  );
}

/** Under the form head: why the connection cannot be deleted, each node using it one click away. */
export function ConnectionInUse({ del }: { del: DeleteFlow }) {
  const { view, workspace } = useApp();
  const { state, connection } = del;
  if (state.step === 'failed') return <div className="hl-form-errors" role="alert" data-testid="connection-delete-error">{state.message}</div>;
  if (state.step !== 'in-use') return null;
  const open = (u: ConnectionUse) => {
    view.getState().setPage('canvas');
    // The connection picker of that node, so the user can point it elsewhere at once.
    void workspace.getState().openFlow(u.flowId).then(() => view.getState().focusProblem(u.nodeId, 'connectionId'));
  };
  return (
    <div className="hl-form-errors hl-in-use" role="alert" data-testid="connection-in-use">
      <div data-testid="connection-in-use-text">{connectionInUseText(connection.name || connection.id, state.uses)}</div>
      <ul>
        {state.uses.map((u) => (
          <li key={`${u.flowId}/${u.nodeId}`} data-testid={`connection-use-${u.flowId}-${u.nodeId}`}>
            {u.flowName} › {u.nodeLabel}
            <button className="hl-link-btn" data-testid={`connection-use-${u.flowId}-${u.nodeId}-open`} onClick={() => open(u)}>Open</button>
          </li>
        ))}
      </ul>
      <button className="hl-btn ghost sm" data-testid="connection-in-use-dismiss" onClick={del.cancel}>Dismiss</button>
    </div>
  );
}
