import { useId, type CSSProperties, type ReactNode } from 'react';

/**
 * Ids that tie a form's labels to their controls: one `useId` per form, one suffix per field, so rows
 * rendered in a loop (a subscription per event type) still get ids of their own.
 */
export function useFieldIds(): (key: string) => string {
  const base = useId();
  return (key) => `${base}${key.replace(/[^\w-]/g, '_')}`;
}

/** The id of the label FormField renders for the control `id`: for `aria-labelledby` on controls a `<label>` cannot name (a code editor). */
export const labelIdOf = (id: string) => `${id}-label`;

/**
 * A labelled form field. `id` is the control's id: the `<label htmlFor>` points at it, so a click on the
 * label focuses the control and assistive tech (and `getByLabel`) finds it by its label. A `group` (rows of
 * inputs, no single control) is named by its label through `aria-labelledby` instead; a `radiogroup`'s label
 * click focuses its checked option, where the keyboard enters a radio group.
 */
export function FormField(p: { id: string; label: ReactNode; group?: boolean | 'radiogroup'; help?: ReactNode; errors?: ReactNode; className?: string; style?: CSSProperties; testId?: string; dataField?: string; children: ReactNode }) {
  const labelId = labelIdOf(p.id);
  // A label focuses only form controls; a control that is not one (a code field's placeholder, role="textbox") is focused here.
  const focusOther = () => {
    const el = document.getElementById(p.id);
    if (el && !('labels' in el)) el.focus();
  };
  const focusChecked = () => (document.querySelector(`[aria-labelledby="${CSS.escape(labelId)}"] input:checked`) as HTMLElement | null)?.focus();
  return (
    <div className={`hl-field${p.className ? ` ${p.className}` : ''}`} style={p.style} data-testid={p.testId} data-field={p.dataField}>
      {p.group ? (
        <span className="hl-label" id={labelId} onClick={p.group === 'radiogroup' ? focusChecked : undefined}>{p.label}</span>
      ) : (
        <label className="hl-label" htmlFor={p.id} id={labelId} onClick={focusOther}>{p.label}</label>
      )}
      {p.group ? <div role={p.group === 'radiogroup' ? 'radiogroup' : 'group'} aria-labelledby={labelId}>{p.children}</div> : p.children}
      {p.help && <div className="hl-help">{p.help}</div>}
      {p.errors}
    </div>
  );
}
