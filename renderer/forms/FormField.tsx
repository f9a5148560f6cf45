import { useId, type ReactNode } from 'react';

/**
 * Ids that tie a form's labels to their controls: one `useId` per form, one suffix per field, so rows
 * rendered in a loop (a subscription per event type) still get ids of their own.
 */
export function useFieldIds(): (key: string) => string {
  const base = useId();
  return (key) => `${base}${key.replace(/[^\w-]/g, '_')}`;
}

/**
 * A labelled form field. `id` is the control's id: the `<label htmlFor>` points at it, so a click on the
 * label focuses the control and assistive tech (and `getByLabel`) finds it by its label. A `group` (rows of
 * inputs, no single control) is named by its label through `aria-labelledby` instead.
 */
export function FormField(p: { id: string; label: ReactNode; group?: boolean; help?: ReactNode; errors?: ReactNode; className?: string; testId?: string; children: ReactNode }) {
  const labelId = `${p.id}-label`;
  return (
    <div className={`hl-field${p.className ? ` ${p.className}` : ''}`} data-testid={p.testId}>
      {p.group ? (
        <span className="hl-label" id={labelId}>{p.label}</span>
      ) : (
        <label className="hl-label" htmlFor={p.id} id={labelId}>{p.label}</label>
      )}
      {p.group ? <div role="group" aria-labelledby={labelId}>{p.children}</div> : p.children}
      {p.help && <div className="hl-help">{p.help}</div>}
      {p.errors}
    </div>
  );
}
