import { useEffect, useRef, useState } from 'react';
import { draftId, fieldDrafts, useFieldDraft } from './field-drafts';
import type { FieldProps } from './fields';

const format = (v: unknown) => (v === undefined ? '' : JSON.stringify(v, null, 2));

/**
 * A JSON value typed as text. Valid text becomes the setting at once; invalid text stays a draft
 * (field-drafts.ts) that the top bar reports as not saved and Deploy refuses, instead of the document
 * silently keeping the previous value. A change from outside (undo/redo) shows the document's value again.
 */
export function JsonInput({ field, value, onChange, testId, owner, id: controlId }: FieldProps) {
  const id = draftId(owner.flowId, owner.nodeId, field.key);
  const draft = useFieldDraft(id);
  const [text, setText] = useState(() => draft?.text ?? format(value));
  // The value this box last showed or wrote, so its own edits coming back are not mistaken for undo/redo.
  const shown = useRef(JSON.stringify(value));
  useEffect(() => {
    const cur = JSON.stringify(value);
    if (cur === shown.current) return;
    shown.current = cur;
    setText(format(value));
    fieldDrafts.getState().clear(id);
  }, [value, id]);

  const edit = (t: string) => {
    setText(t);
    let parsed: unknown;
    try {
      parsed = t.trim() ? JSON.parse(t) : undefined;
    } catch (x: any) {
      fieldDrafts.getState().set({ flowId: owner.flowId, nodeId: owner.nodeId, key: field.key, label: field.label, text: t, error: `not valid JSON: ${x?.message ?? x}` });
      return;
    }
    fieldDrafts.getState().clear(id);
    shown.current = JSON.stringify(parsed);
    onChange(parsed);
  };

  return (
    <>
      <textarea id={controlId} className={`hl-input mono${draft ? ' invalid' : ''}`} rows={5} aria-invalid={draft ? true : undefined} data-testid={testId} value={text} onChange={(e) => edit(e.target.value)} />
      {draft && (
        <div className="hl-field-error" data-testid={`${testId}-error`}>
          {draft.error} · not saved: the flow keeps its previous value until this is valid JSON
        </div>
      )}
    </>
  );
}
