import type { ReactNode } from 'react';
import type { FieldSpec, FieldWidget } from '../../core/nodes/spec-types';
import type { MissingPolicy } from '../../core/template';
import { useApp, useView } from '../app-context';
import { CodeField } from '../editor';
import { Icon } from '../icons';
import { resolvedTheme } from '../state/view-store';
import { CertificateField, ConnectionPicker } from './connection-widgets';
import { ApiKeysInput } from './ApiKeysInput';
import { cellClass } from './api-keys';
import { JsonInput } from './JsonInput';
import { secretName } from './secrets';
import { looksLikeCredential, RowSecret } from './RowSecret';
import { useSecretDraft } from './secret-draft';

export interface FieldProps {
  field: FieldSpec;
  value: unknown;
  onChange(v: unknown): void;
  testId: string;
  /** Sample context for expression / template widgets. */
  context: unknown;
  /** Parts used to name secrets this field creates (flow id, node id). */
  owner: { flowId: string; nodeId: string };
  /** Paths below the field that have errors (`[0].name`): only those cells are outlined red. */
  invalid?: ReadonlySet<string>;
  /** The node's `missing` setting (Template, Respond): template previews treat tokens without a value by it. */
  missing?: MissingPolicy;
  /** The control's id, which the field's `<label htmlFor>` points at (a group widget is named by its label instead). */
  id?: string;
  /** The id of the field's label, for controls a `<label>` cannot name (the code editor). */
  labelId?: string;
}

/** Widgets of several controls (rows, chips, a certificate upload): a group named by the field's label, not one labelled control. */
export const GROUP_WIDGETS: ReadonlySet<FieldWidget> = new Set<FieldWidget>(['multiselect', 'keyValue', 'list', 'apiKeys', 'certificate']);


export function useTheme(): 'light' | 'dark' {
  return useView((s) => resolvedTheme(s));
}

const str = (v: unknown) => (v == null ? '' : typeof v === 'string' ? v : String(v));

export function FieldInput(p: FieldProps): ReactNode {
  const { field, value, onChange, testId, id } = p;
  const theme = useTheme();
  const { view } = useApp();
  const wide = useView((s) => s.inspectorWide);
  const toggleWide = () => view.getState().toggle('inspectorWide');
  switch (field.widget) {
    case 'connection':
      return <ConnectionPicker {...p} />;
    case 'certificate':
      return <CertificateField {...p} />;
    case 'text':
      return <input id={id} className="hl-input" data-testid={testId} value={str(value)} placeholder={field.placeholder} onChange={(e) => onChange(e.target.value === '' && field.advanced ? undefined : e.target.value)} />;
    case 'textarea':
      return <textarea id={id} className="hl-input" rows={4} data-testid={testId} value={str(value)} placeholder={field.placeholder} onChange={(e) => onChange(e.target.value)} />;
    case 'number':
      return (
        <input
          id={id}
          className="hl-input"
          type="number"
          data-testid={testId}
          value={value == null ? '' : String(value)}
          placeholder={field.placeholder}
          onChange={(e) => onChange(e.target.value === '' ? undefined : Number(e.target.value))}
        />
      );
    case 'select':
      return (
        <select id={id} className="hl-input" data-testid={testId} value={str(value ?? field.unset)} onChange={(e) => onChange(e.target.value)}>
          {value == null && field.unset === undefined && <option value="">Choose…</option>}
          {field.options?.map((o) => (
            <option key={o.value} value={o.value}>{o.label}</option>
          ))}
        </select>
      );
    case 'multiselect': {
      const cur = Array.isArray(value) ? (value as string[]) : [];
      return (
        <div className="hl-chips" data-testid={testId}>
          {field.options?.map((o) => {
            const on = cur.includes(o.value);
            return (
              <button
                key={o.value}
                type="button"
                className={`hl-chip${on ? ' on' : ''}`}
                aria-pressed={on}
                data-testid={`${testId}-${o.value}`}
                onClick={() => onChange(on ? cur.filter((v) => v !== o.value) : [...cur, o.value].sort((a, b) => (field.options ?? []).findIndex((x) => x.value === a) - (field.options ?? []).findIndex((x) => x.value === b)))}
              >
                {o.label}
              </button>
            );
          })}
        </div>
      );
    }
    case 'toggle':
      return (
        <label className="hl-switch">
          <input id={id} type="checkbox" data-testid={testId} checked={value === true} onChange={(e) => onChange(e.target.checked)} />
          <span className="hl-switch-track" />
        </label>
      );
    case 'keyValue':
      return <KeyValueInput {...p} />;
    case 'list':
      return <ListInput {...p} />;
    case 'secret':
      return <SecretInput {...p} />;
    case 'apiKeys':
      return <ApiKeysInput {...p} />;
    case 'expression':
      return <CodeField kind="expression" value={str(value)} onChange={(v) => onChange(v === '' ? undefined : v)} context={p.context} theme={theme} testId={testId} ariaLabel={field.label} id={id} labelledBy={p.labelId} wide={wide} onToggleWide={toggleWide} />;
    case 'template':
      return <CodeField kind="template" language={field.language === 'jsonata' ? 'text' : field.language ?? 'text'} value={str(value)} onChange={onChange} context={p.context} theme={theme} testId={testId} ariaLabel={field.label} id={id} labelledBy={p.labelId} oneLine={field.oneLine} wide={wide} onToggleWide={toggleWide} missing={p.missing} />;
    case 'json':
      return <JsonInput {...p} />;
    default:
      return <input id={id} className="hl-input" data-testid={testId} value={str(value)} onChange={(e) => onChange(e.target.value)} />;
  }
}

function KeyValueInput({ value, onChange, testId, invalid, context }: FieldProps) {
  const theme = useTheme();
  // Accepts both shapes specs use: [{ name, value }] rows or a plain record.
  const asRecord = value != null && !Array.isArray(value) && typeof value === 'object';
  const rows: Array<{ name: string; value: string }> = Array.isArray(value)
    ? (value as any[]).map((r) => ({ name: str(r?.name), value: str(r?.value) }))
    : asRecord
      ? Object.entries(value as Record<string, unknown>).map(([name, v]) => ({ name, value: str(v) }))
      : [];
  const emit = (next: typeof rows) => onChange(asRecord ? Object.fromEntries(next.map((r) => [r.name, r.value])) : next);
  return (
    <div className="hl-rows" data-testid={testId}>
      {rows.map((r, i) => (
        <div className="hl-row with-code" key={i}>
          <input className={cellClass(invalid, asRecord ? '' : `[${i}].name`)} placeholder="Name" aria-label={`Name, row ${i + 1}`} value={r.name} data-testid={`${testId}-${i}-name`} onChange={(e) => emit(rows.map((x, j) => (j === i ? { ...x, name: e.target.value } : x)))} />
          {/* Values are templates (headers, query, form fields): `{{ }}` completes from the sample as in the body; on a line
              of its own below the name (the inspector is narrow), text until clicked. */}
          <div className={`hl-row-code${invalid?.has(asRecord ? `.${r.name}` : `[${i}].value`) ? ' has-error' : ''}`}>
            <CodeField kind="template" language="text" oneLine value={r.value} onChange={(nv) => emit(rows.map((x, j) => (j === i ? { ...x, value: nv } : x)))} context={context} theme={theme} testId={`${testId}-${i}-value`} ariaLabel={`Value, row ${i + 1}`} showPreview={false} deferEditor />
          </div>
          <button className="hl-icon-btn sm" title="Remove" onClick={() => emit(rows.filter((_, j) => j !== i))}><Icon name="x" size={12} /></button>
        </div>
      ))}
      <button className="hl-link-btn" data-testid={`${testId}-add`} onClick={() => emit([...rows, { name: '', value: '' }])}>+ Add</button>
    </div>
  );
}

function ListInput({ field, value, onChange, testId, invalid, owner, context }: FieldProps) {
  const theme = useTheme();
  const items = Array.isArray(value) ? (value as unknown[]) : [];
  if (!field.itemFields?.length) {
    return (
      <div className="hl-rows" data-testid={testId}>
        {items.map((it, i) => (
          <div className="hl-row" key={i}>
            <input className={cellClass(invalid, `[${i}]`)} aria-label={`${field.label}, row ${i + 1}`} value={str(it)} data-testid={`${testId}-${i}`} onChange={(e) => onChange(items.map((x, j) => (j === i ? e.target.value : x)))} />
            <button className="hl-icon-btn sm" title="Remove" onClick={() => onChange(items.filter((_, j) => j !== i))}><Icon name="x" size={12} /></button>
          </div>
        ))}
        <button className="hl-link-btn" data-testid={`${testId}-add`} onClick={() => onChange([...items, ''])}>+ Add</button>
      </div>
    );
  }
  const cols = field.itemFields;
  // An expression column goes on a line of its own below the row's other cells: the inspector is narrow.
  const rowClass = cols.some((c) => c.widget === 'expression') ? 'hl-row with-code' : 'hl-row';
  return (
    <div className="hl-rows" data-testid={testId}>
      {items.map((it, i) => (
        <div className={rowClass} key={i}>
          {cols.map((c) => {
            const v = (it as Record<string, unknown>)?.[c.key];
            const set = (nv: unknown) => onChange(items.map((x, j) => (j === i ? { ...(x as object), [c.key]: nv } : x)));
            if (c.widget === 'secret') {
              const row = (it ?? {}) as Record<string, unknown>;
              return <RowSecret key={c.key} row={row} index={i} owner={owner} field={c.key} testId={`${testId}-${i}-${c.key}`} ariaLabel={`${c.label}, row ${i + 1}`} onChange={(nr) => onChange(items.map((x, j) => (j === i ? nr : x)))} />;
            }
            if (c.widget === 'expression') {
              // As the node's own expressions: completion and unknown-field marks from the sample. A plain text until
              // clicked (one editor per row would be heavy), then Monaco.
              return (
                <div key={c.key} className={`hl-row-code${invalid?.has(`[${i}].${c.key}`) ? ' has-error' : ''}`}>
                  <CodeField kind="expression" value={str(v)} onChange={(nv) => set(nv === '' ? undefined : nv)} context={context} theme={theme} testId={`${testId}-${i}-${c.key}`} ariaLabel={`${c.label}, row ${i + 1}`} showPreview={false} deferEditor />
                </div>
              );
            }
            return c.widget === 'toggle' ? (
              <label key={c.key} className="hl-mini-toggle" title={c.label}>
                <input type="checkbox" checked={v === true} onChange={(e) => set(e.target.checked)} /> {c.label}
              </label>
            ) : (
              <input key={c.key} className={cellClass(invalid, `[${i}].${c.key}`)} placeholder={c.label} aria-label={`${c.label}, row ${i + 1}`} value={str(v)} data-testid={`${testId}-${i}-${c.key}`} onChange={(e) => set(e.target.value === '' && c.key !== 'name' ? undefined : e.target.value)} />
            );
          })}
          <button className="hl-icon-btn sm" title="Remove" onClick={() => onChange(items.filter((_, j) => j !== i))}><Icon name="x" size={12} /></button>
        </div>
      ))}
      {cols.some((c) => c.widget === 'secret') &&
        items.some((it) => looksLikeCredential((it as Record<string, unknown>)?.name) && (it as Record<string, unknown>)?.value) && (
          <div className="hl-warning" data-testid={`${testId}-plain-credential`}>
            A credential-like header has a plain value, which is saved in the flow file and exported with it: type it as a secret instead.
          </div>
        )}
      <button className="hl-link-btn" data-testid={`${testId}-add`} onClick={() => onChange([...items, {}])}>+ Add</button>
    </div>
  );
}

/** Write-only: the flow stores the secret's name; the value goes to the host's secret store. */
function SecretInput({ field, value, onChange, testId, owner, id }: FieldProps) {
  const name = str(value) || secretName(owner.flowId, owner.nodeId, field.key.split('.').pop() ?? 'secret');
  const { draft, setDraft, err, isSet, save } = useSecretDraft(name, () => !value && onChange(name));
  return (
    <div className="hl-secret" data-testid={testId}>
      <div className="hl-secret-row">
        <input id={id} className="hl-input" type="password" autoComplete="new-password" placeholder={isSet ? '•••••• (leave blank to keep)' : 'Enter a value'} value={draft} data-testid={`${testId}-value`} onChange={(e) => setDraft(e.target.value)} onBlur={() => void save()} onKeyDown={(e) => e.key === 'Enter' && void save()} />
        <span className={`hl-pill ${isSet ? 'ok' : 'warn'}`} data-testid={`${testId}-status`}>{isSet ? 'set' : 'not set'}</span>
      </div>
      <div className="hl-help mono">secret: {name}</div>
      {err && <div className="hl-field-error">{err}</div>}
    </div>
  );
}
