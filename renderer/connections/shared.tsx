import type { CertificateDetails, HttpExchange, HttpTimings, TokenRequestRecord } from '../../core/host/api';
import { useWorkspace } from '../app-context';
import { headerLines, prettyBody, requestAsSent } from '../panels/step-view';
import { expiryText } from './connection-form';
import { timingPhases } from './timing-phases';

export const fmtMs = (ms?: number) => (ms === undefined ? '–' : ms < 10 ? `${ms.toFixed(1)} ms` : ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(2)} s`);
export const errText = (e: any): string =>
  e?.problems?.length ? e.problems.map((p: any) => (p.path ? `${p.path}: ${p.message}` : p.message)).join('; ') : e?.message ?? String(e);

/**
 * A write-only secret: the stored value is never shown, only whether it is set. The typed value is
 * held by the caller until it saves (a blank keeps the stored value). `staged`: a new value is saved but not
 * live yet (event subscriptions: until "Apply changes").
 */
export function WriteOnlySecret(p: { name: string; value: string; onChange(v: string): void; testId: string; /** The input's id, for a `<label htmlFor>` outside. */ id?: string; label?: string; staged?: boolean; /** Whether a value is stored, when the caller knows (an environment's secret variable: its name line is left out); else the secret store says, by `name`. */ isSet?: boolean }) {
  const secrets = useWorkspace((s) => s.secrets);
  const isSet = p.isSet ?? secrets.some((s) => s.name === p.name && s.set);
  return (
    <div className="hl-secret" data-testid={p.testId}>
      <div className="hl-secret-row">
        <input
          id={p.id}
          className="hl-input"
          type="password"
          autoComplete="new-password"
          aria-label={p.label}
          placeholder={isSet || p.staged ? '•••••• (leave blank to keep)' : 'Enter a value'}
          value={p.value}
          data-testid={`${p.testId}-value`}
          onChange={(e) => p.onChange(e.target.value)}
        />
        <span className={`hl-pill ${p.value || (isSet && !p.staged) ? 'ok' : 'warn'}`} data-testid={`${p.testId}-status`}>
          {p.value ? 'unsaved' : p.staged ? 'saved, not applied' : isSet ? 'set' : 'not set'}
        </span>
      </div>
      {p.isSet === undefined && <div className="hl-help mono">secret: {p.name}</div>}
    </div>
  );
}

/**
 * A PEM value kept in a secret (a CA bundle): multi-line, so the line breaks PEM needs survive (a password
 * input drops them). Write-only like WriteOnlySecret; "Remove" drops the reference (and the stored value on Save).
 * `staged`: the form holds a checked value for it (cleared from the box) that Save will write.
 */
export function PemSecret(p: { id?: string; name: string; value: string; onChange(v: string): void; onBlur?(): void; onRemove?(): void; removed?: boolean; testId: string; label: string; placeholder?: string; staged?: boolean }) {
  const secrets = useWorkspace((s) => s.secrets);
  const isSet = !p.removed && secrets.some((s) => s.name === p.name && s.set);
  const status = p.value || p.staged ? 'unsaved' : p.removed ? 'removed on Save' : isSet ? 'set' : 'not set';
  return (
    <div className="hl-secret" data-testid={p.testId}>
      <div className="hl-secret-row">
        <textarea
          id={p.id}
          className="hl-input mono"
          rows={p.value ? 6 : 2}
          spellCheck={false}
          aria-label={p.label}
          placeholder={isSet ? 'Stored (paste a new PEM to replace it)' : p.placeholder ?? '-----BEGIN CERTIFICATE-----\n…\n-----END CERTIFICATE-----'}
          value={p.value}
          data-testid={`${p.testId}-value`}
          onChange={(e) => p.onChange(e.target.value)}
          onBlur={p.onBlur}
        />
        <span className={`hl-pill ${p.value || p.staged || isSet ? 'ok' : 'warn'}`} data-testid={`${p.testId}-status`}>{status}</span>
        {p.onRemove && (isSet || p.value) && (
          <button className="hl-btn sm" title="Remove this value from the connection" data-testid={`${p.testId}-remove`} onClick={p.onRemove}>Remove</button>
        )}
      </div>
      <div className="hl-help mono">secret: {p.name}</div>
    </div>
  );
}

export function CertificateSummary({ cert, label = 'Current client certificate', testId }: { cert: CertificateDetails; label?: string; testId?: string }) {
  const cls = cert.daysLeft < 0 ? 'bad' : cert.daysLeft <= 30 ? 'warn' : 'ok';
  return (
    <div className={`hl-cert ${cls}`} data-testid={testId}>
      <div>
        <b>{label}:</b> {cert.subject}
      </div>
      <div className="hl-help">
        issuer {cert.issuer}, <span data-testid={testId ? `${testId}-expiry` : undefined}>{expiryText(cert.validTo, cert.daysLeft)}</span>
        {cert.selfSigned ? ' · self-signed' : ''}
      </div>
      {cert.sans.length > 0 && <div className="hl-help mono ellipsis">SAN: {cert.sans.join(', ')}</div>}
    </div>
  );
}

/** Each phase's own duration (Postman's breakdown); the tooltip says when it ended, counted from the start. */
function Timings({ t }: { t?: HttpTimings }) {
  if (!t) return null;
  return (
    <div className="hl-timings" data-testid="exchange-timings">
      {timingPhases(t).map((p) => (
        <span key={p.label} title={p.at !== undefined ? `done ${fmtMs(p.at)} after the start` : undefined}>
          {p.label} <b>{fmtMs(p.ms)}</b>
        </span>
      ))}
      {t.reusedSocket && <span className="hl-muted">reused socket</span>}
    </div>
  );
}

/** One HTTP exchange as sent and received (secrets masked by the host), with timings and certificates. */
export function ExchangeView({ ok, exchange, error, timings, warnings, testId, stacked, tokenRequests }: { ok: boolean; exchange?: HttpExchange; error?: { code: string; message: string }; timings?: HttpTimings; warnings?: Array<{ code: string; message: string }>; testId: string; /** Request above response (the narrow inspector). */ stacked?: boolean; tokenRequests?: TokenRequestRecord[] }) {
  const res = exchange?.response;
  const status = res?.status;
  return (
    <div className="hl-exchange" data-testid={testId}>
      <div className="hl-row">
        <span className={`hl-status ${ok ? 'succeeded' : 'failed'}`} data-testid={`${testId}-status`}>
          {status !== undefined ? `${status} ${res?.statusText ?? ''}` : error?.code ?? 'failed'}
        </span>
        <span className="hl-muted">{fmtMs(timings?.totalMs ?? exchange?.durationMs)}</span>
        {exchange && (exchange.attempts.length > 1 ? <span className="hl-muted">{exchange.attempts.length} attempts</span> : null)}
      </div>
      {error && <div className="hl-field-error" data-testid={`${testId}-error`}>{error.message}</div>}
      {warnings?.map((w) => (
        <div className="hl-warning" key={w.code + w.message}>{w.message}</div>
      ))}
      {tokenRequests?.map((t, i) => <TokenRequestView key={i} t={t} testId={`${testId}-token-${i}`} />)}
      <Timings t={timings ?? exchange?.attempts.at(-1)?.timings} />
      {exchange && (
        <div className="hl-io" style={stacked ? { gridTemplateColumns: '1fr' } : undefined}>
          <div style={stacked ? { borderRight: 0, borderBottom: '1px solid var(--border)' } : undefined}>
            <h5>Request</h5>
            <pre data-testid={`${testId}-request`}>{requestAsSent(exchange.request)}</pre>
          </div>
          <div>
            <h5>Response</h5>
            <pre data-testid={`${testId}-response`}>{res ? `${headerLines(res.headers)}\n\n${prettyBody(res.rawText ?? res.body)}` : 'No response'}</pre>
          </div>
        </div>
      )}
      {exchange?.peerCertificate && <CertificateSummary cert={exchange.peerCertificate} label="Server certificate" />}
      {exchange?.clientCertificate && <CertificateSummary cert={exchange.clientCertificate} label="Client certificate sent" />}
    </div>
  );
}

/** An OAuth2 token request the test made, as Postman's console shows it: folded when it worked, open when it did not. */
function TokenRequestView({ t, testId }: { t: TokenRequestRecord; testId: string }) {
  const ok = t.status !== undefined && t.status >= 200 && t.status <= 299;
  return (
    <details className="hl-token-request" open={!ok} data-testid={testId}>
      <summary>
        OAuth2 token request · <span className={`hl-status ${ok ? 'succeeded' : 'failed'}`}>{t.status ?? 'no answer'}</span> · {fmtMs(t.durationMs)}
      </summary>
      <pre data-testid={`${testId}-request`}>{`${t.method} ${t.url}\n${headerLines(t.requestHeaders)}\n\n${t.requestBody}`}</pre>
      <h5>Token response</h5>
      <pre data-testid={`${testId}-response`}>{t.error ?? `${t.responseHeaders ? `${headerLines(t.responseHeaders)}\n\n` : ''}${prettyBody(t.responseBody ?? '')}`}</pre>
    </details>
  );
}
