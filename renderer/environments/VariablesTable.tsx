import { WriteOnlySecret } from '../connections/shared';
import { Icon } from '../icons';
import { VARIABLE_NAME_HINT, type DraftErrors, type VarField, type VarRow } from './environment-rows';

/**
 * An environment's variables as rows: name, value (write-only for a secret), the secret switch, a description.
 * The host's errors show under the field they name.
 */
export function VariablesTable(p: { rows: VarRow[]; errors: DraftErrors | null; missing: string[]; onEdit(i: number, patch: Partial<VarRow>, field?: VarField): void; onSecret(i: number, secret: boolean): void; onRemove(i: number): void; onAdd(): void }) {
  return (
    <div className="hl-env-vars" data-testid="env-vars">
      <table className="hl-env-table">
        <thead>
          <tr>
            <th>Variable</th>
            <th>Value</th>
            <th title="A secret value is stored write-only, for this environment only: the studio never shows it again">Secret</th>
            <th>Description</th>
            <th aria-label="Remove" />
          </tr>
        </thead>
        <tbody>
          {p.rows.map((r, i) => (
            <VariableRow key={r.key} i={i} row={r} errors={p.errors?.rows[i] ?? {}} missing={!!r.name && p.missing.includes(r.name.trim())} onEdit={p.onEdit} onSecret={p.onSecret} onRemove={p.onRemove} />
          ))}
          {p.rows.length === 0 && (
            <tr>
              <td colSpan={5} className="hl-muted">No variables yet.</td>
            </tr>
          )}
        </tbody>
      </table>
      <div className="hl-btn-row">
        <button className="hl-btn sm" data-testid="env-add-var" onClick={p.onAdd}>
          <Icon name="plus" size={13} /> Add variable
        </button>
      </div>
      <div className="hl-help">{VARIABLE_NAME_HINT} A variable without a value here falls back to the studio's process environment.</div>
    </div>
  );
}

function FieldErrors({ list, testId }: { list?: string[]; testId: string }) {
  if (!list?.length) return null;
  return (
    <>
      {list.map((m) => (
        <div className="hl-field-error" key={m} data-testid={testId}>{m}</div>
      ))}
    </>
  );
}

function VariableRow({ i, row: r, errors, missing, onEdit, onSecret, onRemove }: { i: number; row: VarRow; errors: Partial<Record<VarField, string[]>>; missing: boolean; onEdit(i: number, patch: Partial<VarRow>, field?: VarField): void; onSecret(i: number, secret: boolean): void; onRemove(i: number): void }) {
  const bad = (f: VarField) => (errors[f]?.length ? ' invalid' : '');
  return (
    <tr data-testid={`env-var-${i}`}>
      <td className="name">
        <input className={`hl-input mono${bad('name')}`} placeholder="ERP_URL" aria-label="Variable name" spellCheck={false} value={r.name} data-testid={`env-var-name-${i}`} onChange={(e) => onEdit(i, { name: e.target.value }, 'name')} />
        <FieldErrors list={errors.name} testId={`env-var-name-${i}-error`} />
      </td>
      <td className="value">
        {r.secret ? (
          <>
            <WriteOnlySecret name={r.name} isSet={r.set} label="Secret value" testId={`env-secret-${i}`} value={r.secretValue} onChange={(v) => onEdit(i, { secretValue: v }, 'value')} />
            {r.shared && !r.secretValue && (
              <div className="hl-help" data-testid={`env-secret-${i}-shared`}>
                From the shared secret {r.name} (Secrets); a value typed here is this environment's own.
              </div>
            )}
          </>
        ) : (
          <input
            className={`hl-input mono${bad('value')}`}
            placeholder={missing ? 'not set' : 'https://erp.example'}
            aria-label="Value"
            spellCheck={false}
            value={r.value}
            data-testid={`env-var-value-${i}`}
            onChange={(e) => onEdit(i, { value: e.target.value }, 'value')}
          />
        )}
        <FieldErrors list={errors.value} testId={`env-var-value-${i}-error`} />
      </td>
      <td className="secret">
        <label className="hl-switch" title={r.secret ? 'Secret: stored write-only' : 'Make the value secret'}>
          <input type="checkbox" checked={r.secret} aria-label="Secret" data-testid={`env-var-secret-${i}`} onChange={(e) => onSecret(i, e.target.checked)} />
          <span className="hl-switch-track" />
        </label>
      </td>
      <td className="desc">
        <input className={`hl-input${bad('description')}`} placeholder="Optional" aria-label="Description" value={r.description} data-testid={`env-var-desc-${i}`} onChange={(e) => onEdit(i, { description: e.target.value }, 'description')} />
        <FieldErrors list={errors.description} testId={`env-var-desc-${i}-error`} />
      </td>
      <td className="remove">
        <button className="hl-icon-btn sm" title="Remove variable" data-testid={`env-var-remove-${i}`} onClick={() => onRemove(i)}>
          <Icon name="x" size={13} />
        </button>
      </td>
    </tr>
  );
}
