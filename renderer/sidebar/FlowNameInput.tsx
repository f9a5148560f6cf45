import { useEffect, useState } from 'react';
import { useCurrentDoc, useFlow } from '../app-context';
import { flowNameError } from './flow-name';

/**
 * The open flow's name in the top bar. A name that cannot be used (empty, only spaces) is not applied:
 * the box says why while it is focused, and on leaving it shows the previous name again and says it was kept.
 */
export function FlowNameInput() {
  const doc = useCurrentDoc();
  const flow = useFlow();
  // null while not editing: the box shows the document's name (undo, rename from the sidebar).
  const [text, setText] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  // After leaving the box with an unusable name: "... – kept “old name”", for a few seconds.
  const [kept, setKept] = useState<string | null>(null);
  const shown = text ?? flow.name;
  useEffect(() => {
    if (!kept) return;
    const t = setTimeout(() => setKept(null), 5000);
    return () => clearTimeout(t);
  }, [kept]);

  const edit = (v: string) => {
    setText(v);
    const err = flowNameError(v);
    setError(err);
    if (!err) doc?.renameFlow(v);
  };
  const finish = () => {
    if (text === null) return;
    const err = flowNameError(text);
    setError(null);
    if (err) setKept(`${err} – kept “${flow.name}”`);
    else if (text.trim() !== text) doc?.renameFlow(text.trim());
    setText(null);
  };

  return (
    <span className="hl-flow-title-wrap">
      <input
        className={`hl-flow-title${error ? ' invalid' : ''}`}
        style={{ width: `${Math.min(40, Math.max(10, shown.length + 2))}ch` }}
        value={shown}
        data-testid="flow-name"
        aria-label="Flow name"
        aria-invalid={error ? true : undefined}
        onFocus={() => setKept(null)}
        onChange={(e) => edit(e.target.value)}
        onBlur={finish}
        onKeyDown={(e) => {
          if (e.key === 'Enter') (e.target as HTMLInputElement).blur();
          if (e.key === 'Escape') {
            setText(null);
            setError(null);
          }
        }}
      />
      {(error ?? kept) && (
        <span className="hl-flow-title-error" role="alert" data-testid="flow-name-error">
          {error ?? kept}
        </span>
      )}
    </span>
  );
}
