import { CONNECTION_AUTH_TYPES } from '../../core/model/connection';
import { inlineConnectionOwner } from '../../core/model/secret-names';
import { useApp, useWorkspace } from '../app-context';
import { CertificateSection, useCertificateInfo } from '../connections/CertificateSection';
import { CertificateSummary } from '../connections/shared';
import { Icon } from '../icons';
import type { FieldProps } from './fields';

const NEW = '__new__';

/** The `connection` widget: a saved connection by id ("credentials as separate, reusable objects"). */
export function ConnectionPicker({ value, onChange, testId, id: controlId }: FieldProps) {
  const { view } = useApp();
  const connections = useWorkspace((s) => s.connections);
  const id = typeof value === 'string' ? value : '';
  const current = connections.find((c) => c.id === id);
  const cert = current?.tls?.clientCert;
  return (
    <div className="hl-conn-picker">
      <div className="hl-row">
        <select
          id={controlId}
          className="hl-input"
          data-testid={testId}
          value={id}
          onChange={(e) => (e.target.value === NEW ? view.getState().setPage('connections', 'new') : onChange(e.target.value || undefined))}
        >
          <option value="">None (configure below)</option>
          {connections.map((c) => (
            <option key={c.id} value={c.id}>
              {c.name}
              {c.missingSecrets.length ? ' (secrets missing)' : ''}
            </option>
          ))}
          {id && !current && <option value={id}>{id} (not found)</option>}
          <option value={NEW}>New connection…</option>
        </select>
        {current && (
          <button className="hl-icon-btn" title="Edit this connection" data-testid={`${testId}-edit`} onClick={() => view.getState().setPage('connections', current.id)}>
            <Icon name="edit" size={14} />
          </button>
        )}
      </div>
      {id && !current && <div className="hl-field-error">No saved connection has the id "{id}".</div>}
      {current && current.missingSecrets.length > 0 && (
        <div className="hl-warning" data-testid={`${testId}-missing`}>
          Missing secrets: <span className="mono">{current.missingSecrets.join(', ')}</span>
        </div>
      )}
      {current && (
        <div className="hl-help" data-testid={`${testId}-summary`}>
          {current.baseUrl ? `Server URL ${current.baseUrl} · ` : ''}Authorisation: {CONNECTION_AUTH_TYPES.find((t) => t.value === current.auth.type)?.label ?? current.auth.type}
        </div>
      )}
      {cert && <SavedCertificate cert={cert} testId={`${testId}-cert`} />}
    </div>
  );
}

function SavedCertificate({ cert, testId }: { cert: Parameters<typeof useCertificateInfo>[0]; testId: string }) {
  const { info, error } = useCertificateInfo(cert);
  if (error) return <div className="hl-field-error">{error}</div>;
  return info ? <CertificateSummary cert={info} testId={testId} /> : null;
}

/** The `certificate` widget of an inline connection: upload + "Current client certificate: ...". */
export function CertificateField({ value, onChange, testId, owner }: FieldProps) {
  return <CertificateSection bare connId={inlineConnectionOwner(owner.flowId, owner.nodeId)} value={value as never} onChange={onChange} testId={testId} />;
}
