import { useRef, useState } from 'react';
import { useApp, useCurrentDoc, useFlow } from '../app-context';
import { flowNameError } from './flow-name';

/**
 * The open flow's name in the top bar. A name that cannot be used (empty, only spaces) is not applied:
 * the box says why while it is focused, and on leaving it shows the previous name again and a toast says
 * it was kept (as the sidebar's rename box does), so the old name never comes back without a word.
 */
export function FlowNameInput() {
  const { view } = useApp();
  const doc = useCurrentDoc();
  const flow = useFlow();
  const box = useRef<HTMLInputElement>(null);
  // null while not editing: the box shows the document's name (undo, rename from the sidebar).
  const [text, setText] = useState<string | null>(null);
  const [error, setError] = useState<{ text: string; top: number; left: number } | null>(null);
  const shown = text ?? flow.name;

  const edit = (v: string) => {
    setText(v);
    const err = flowNameError(v);
    // The top bar clips what overflows it: the message is placed on the page, under the box.
    const r = box.current?.getBoundingClientRect();
    setError(err ? { text: err, top: (r?.bottom ?? 40) + 4, left: r?.left ?? 0 } : null);
    if (!err) doc?.renameFlow(v);
  };
  const finish = () => {
    if (text === null) return;
    const err = flowNameError(text);
    setError(null);
    if (err) view.getState().showToast(`${err} – kept “${flow.name}”`);
    else if (text.trim() !== text) doc?.renameFlow(text.trim());
    setText(null);
  };

  return (
    <span className="hl-flow-title-wrap">
      <input
        ref={box}
        className={`hl-flow-title${error ? ' invalid' : ''}`}
        style={{ width: `${Math.min(40, Math.max(10, shown.length + 2))}ch` }}
        value={shown}
        data-testid="flow-name"
        aria-label="Flow name"
        aria-invalid={error ? true : undefined}
        aria-errormessage={error ? 'flow-name-error' : undefined}
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
      {error && (
        <span className="hl-flow-title-error" id="flow-name-error" role="alert" data-testid="flow-name-error" style={{ top: error.top, left: error.left }}>
          {error.text}
        </span>
      )}
    </span>
  );
}
