import { useState } from 'react';
import { useApp, useWorkspace } from '../app-context';

/**
 * A write-only secret being typed: the text stays here until it is saved (blur or Enter) to the host's secret
 * store under `name`; blank keeps the stored value. `onStored` runs once the value is stored (e.g. to put the
 * secret's name into the document).
 */
export function useSecretDraft(name: string, onStored: () => void) {
  const { host, workspace } = useApp();
  const isSet = useWorkspace((s) => s.secrets.some((x) => x.name === name && x.set));
  const [draft, setDraft] = useState('');
  const [err, setErr] = useState<string | null>(null);
  const save = async () => {
    if (!draft) return;
    try {
      await host.setSecret(name, draft);
      onStored();
      setDraft('');
      setErr(null);
      await workspace.getState().refreshSecrets();
    } catch (e: any) {
      setErr(e?.message ?? String(e));
    }
  };
  return { draft, setDraft, err, isSet, save };
}
