import { useState } from 'react';
import { useApp, useWorkspace } from '../app-context';
import { errText } from '../connections/shared';
import { Icon } from '../icons';
import { changeText } from './environment-rows';

/**
 * Makes an environment the active one (null: none, the process environment only), takes the new state into the
 * workspace and toasts what it did (`Environment "dev" is active: 2 deployed flows redeployed`). Resolves to
 * whether it worked; a refusal is toasted.
 */
export function useActivateEnvironment(): { activate(name: string | null): Promise<boolean>; busy: boolean } {
  const { host, workspace, view } = useApp();
  const [busy, setBusy] = useState(false);
  const activate = async (name: string | null) => {
    setBusy(true);
    try {
      const c = workspace.getState().environmentChanged(await host.setActiveEnvironment(name));
      view.getState().showToast(changeText(name ? `Environment "${name}" is active` : 'No environment is active: flows read the process environment', c));
      return true;
    } catch (e) {
      view.getState().showToast(`Cannot switch the environment: ${errText(e)}`);
      return false;
    } finally {
      setBusy(false);
    }
  };
  return { activate, busy };
}

/** The top bar's active-environment selector (as Postman's, top right); the Environments page edits them. */
export function EnvironmentSelect() {
  const state = useWorkspace((s) => s.environments);
  const { activate, busy } = useActivateEnvironment();
  if (!state) return null;
  const missing = state.environments.find((e) => e.name === state.active)?.missing ?? [];
  return (
    <label className={`hl-env-select${missing.length ? ' warn' : ''}`} title={missing.length ? `Active environment; no value for ${missing.join(', ')}` : 'Active environment: flows read its variables as $env.NAME'}>
      <Icon name="layers" size={14} />
      <select value={state.active ?? ''} disabled={busy} aria-label="Active environment" data-testid="environment-select" onChange={(e) => void activate(e.target.value || null)}>
        <option value="">No environment</option>
        {state.environments.map((e) => (
          <option key={e.name} value={e.name}>{e.name}</option>
        ))}
      </select>
    </label>
  );
}
