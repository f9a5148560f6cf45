import { secretName } from './secrets';
import { useSecretDraft } from './secret-draft';

/** Header names that carry credentials: a literal value for one of these would be saved in the flow file. */
const CREDENTIAL_NAME = /auth|token|key|secret|password|passwd|session|cookie|signature/i;

export const looksLikeCredential = (headerName: unknown) => typeof headerName === 'string' && CREDENTIAL_NAME.test(headerName);

/**
 * The write-only value of one list row (e.g. a custom auth header): typed here, stored in the secret store under a
 * name derived from the flow, node and row, and the row keeps only that name (its literal `value` is dropped, as
 * the connection schema wants exactly one of the two). Blank keeps the stored value.
 */
export function RowSecret({ row, index, owner, field, onChange, testId, ariaLabel }: {
  row: Record<string, unknown>;
  index: number;
  owner: { flowId: string; nodeId: string };
  field: string;
  onChange(row: Record<string, unknown>): void;
  testId: string;
  ariaLabel?: string;
}) {
  const current = typeof row[field] === 'string' ? (row[field] as string) : '';
  const name = current || secretName(owner.flowId, owner.nodeId, `header_${index + 1}`);
  const stored = useSecretDraft(name, () => {
    const { value: _literal, ...rest } = row;
    onChange({ ...rest, [field]: name });
  });
  const { draft, setDraft, err, save } = stored;
  const isSet = !!current && stored.isSet;
  return (
    <span className="hl-row-secret" data-testid={testId} title={isSet ? `stored as secret ${name}` : 'the value is stored as a secret, never in the flow'}>
      <input className="hl-input" type="password" autoComplete="new-password" placeholder={isSet ? '•••• set (blank keeps)' : 'secret value'} aria-label={ariaLabel} value={draft} data-testid={`${testId}-value`} onChange={(e) => setDraft(e.target.value)} onBlur={() => void save()} onKeyDown={(e) => e.key === 'Enter' && void save()} />
      {err && <span className="hl-field-error">{err}</span>}
    </span>
  );
}
