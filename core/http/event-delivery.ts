import { createHash, randomUUID } from 'node:crypto';
import type { Connection } from '../model/connection';
import { checkSubscriptionUrl, type Subscription } from '../model/subscription';
import type { SecretStore } from '../secrets/secret-store';
import { signStandardWebhook } from '../webhook/signatures';
import { sendRequest, type AttemptRecord, type Exchange, type SendOptions } from './client';
import { HttpError } from './errors';
import type { RetryPolicy } from './retry';

/**
 * Event publishing (the app as a webhook sender): one envelope, delivered to each subscriber with the
 * retry policy, Basic auth or Standard Webhooks signing. The Publish Event node and the studio's
 * "Send test event" both go through `deliverEvent`, so a test exercises exactly what production sends.
 */

/** The ITscope webhook envelope plus custom fields. */
export interface EventEnvelope {
  eventId: string;
  timestamp: string;
  eventType: string;
  transactionStatus?: string;
  orderId?: string;
  itscopeOrderId?: string;
  documentId?: string;
  documentUrl?: string;
  transactionId?: string;
  [custom: string]: unknown;
}

export interface DeliveryResult {
  subscriptionId: string;
  url: string;
  ok: boolean;
  status?: number;
  durationMs: number;
  attempts: AttemptRecord[];
  error?: { code: string; message: string };
  /** The whole exchange (secrets masked); kept for "Send test event", dropped by the node to keep records small. */
  exchange?: Exchange;
}

export interface DeliveryOptions {
  secrets: SecretStore;
  retry?: Partial<RetryPolicy>;
  timeoutMs?: number;
  signal?: AbortSignal;
  now?: () => Date;
  keepExchange?: boolean;
  /** Passed through to sendRequest (events, injected sleep in tests). */
  send?: Pick<SendOptions, 'onAttempt' | 'onRetry' | 'onWarning' | 'sleep' | 'random' | 'env'>;
}

/**
 * The event id of a Publish Event step: a UUID (version 5, name-based) of the first execution of its retry chain
 * and the step, so a retried execution sends the same event under the same id (and Standard Webhooks
 * `webhook-id`), which a partner can de-duplicate, instead of a new event.
 *
 * @example
 * stableEventId('01a23ccd-…', 2) // the same UUID for the run and every retry of it
 */
export function stableEventId(originExecutionId: string, stepIndex: number): string {
  const h = createHash('sha1').update(EVENT_ID_NAMESPACE).update(`${originExecutionId}/${stepIndex}`).digest();
  h[6] = (h[6] & 0x0f) | 0x50; // version 5
  h[8] = (h[8] & 0x3f) | 0x80; // RFC 9562 variant
  const x = h.subarray(0, 16).toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
}

/** The name-space of stableEventId (a fixed random UUID, as bytes). */
const EVENT_ID_NAMESPACE = Buffer.from('7d1c3f0e9a4b4e2f8c61d5b0a9e47f32', 'hex');

/**
 * A new envelope; `eventId` is a UUID (also the Standard Webhooks `webhook-id`), `timestamp` ISO 8601 UTC.
 *
 * @example
 * buildEnvelope('DELIVERY', { transactionStatus: 'ADVISED', orderId: '123-SAMPLE-456' })
 */
export function buildEnvelope(eventType: string, fields: Record<string, unknown> = {}, now: Date = new Date(), eventId: string = randomUUID()): EventEnvelope {
  const clean = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined));
  // The manual's order (eventId, timestamp, eventType, then the rest); fields never override the three.
  const head = { eventId, timestamp: now.toISOString(), eventType };
  return { ...head, ...clean, ...head };
}

/** A dummy event of this type for "Send test event" (ITscope's "Testen" button), marked as a test. */
export function testEnvelope(eventType: string, now: Date = new Date()): EventEnvelope {
  return buildEnvelope(
    eventType,
    {
      transactionStatus: 'TEST',
      orderId: 'TEST-ORDER-1',
      itscopeOrderId: 'TEST-ITSCOPE-ORDER-1',
      documentId: 'TEST-DOCUMENT-1',
      documentUrl: 'https://example.invalid/documents/TEST-DOCUMENT-1',
      transactionId: 'TEST-TRANSACTION-1',
      test: true,
    },
    now,
  );
}

/**
 * Delivers an envelope to each subscriber in parallel; never throws for a failed delivery (each result
 * says what happened), so one broken subscriber does not hide the others.
 *
 * @example
 * const results = await deliverEvent(envelope, subscriptions.forType('ORDER'), { secrets, retry: { retryCount: 3 } });
 * results.filter((r) => !r.ok).map((r) => r.error?.message);
 */
export function deliverEvent(envelope: EventEnvelope, subs: Subscription[], o: DeliveryOptions): Promise<DeliveryResult[]> {
  const body = JSON.stringify(envelope);
  return Promise.all(subs.map((s) => deliverOne(envelope, body, s, o)));
}

async function deliverOne(envelope: EventEnvelope, body: string, s: Subscription, o: DeliveryOptions): Promise<DeliveryResult> {
  const t0 = Date.now();
  const fail = (code: string, message: string): DeliveryResult => ({ subscriptionId: s.id, url: s.url, ok: false, durationMs: Date.now() - t0, attempts: [], error: { code, message } });
  // Checked again at send time: a subscriptions file edited by hand must not send events over plain http.
  const urlCheck = checkSubscriptionUrl(s.url);
  if (!urlCheck.ok) return fail('invalid_request', `subscription "${s.id}" url: ${urlCheck.error}`);
  let attemptHeaders: ((attempt: number) => Array<[string, string]>) | undefined;
  const conn: Connection = { id: `subscription.${s.id}`, name: `subscription ${s.id}`, auth: { type: 'none' }, timeoutMs: o.timeoutMs ?? 30_000, connectTimeoutMs: 10_000 };
  if (s.auth.type === 'basic') {
    // Named as the settings page names it (the connection below is internal; users never see it).
    if (!o.secrets.get(s.auth.passwordSecret)) return fail('missing_secret', `subscription "${s.id}" auth.passwordSecret: secret ${s.auth.passwordSecret} is not set`);
    conn.auth = { type: 'basic', username: s.auth.username, passwordSecret: s.auth.passwordSecret };
  }
  if (s.auth.type === 'standardWebhooks') {
    const secret = o.secrets.get(s.auth.secret);
    if (!secret) return fail('missing_secret', `subscription "${s.id}" auth.secret: secret ${s.auth.secret} is not set`);
    if (!secret.startsWith('whsec_')) return fail('invalid_secret', `subscription "${s.id}" auth.secret: secret ${s.auth.secret} must be a whsec_ signing secret`);
    // Signed per attempt (same webhook-id, fresh timestamp), as Standard Webhooks senders do: a retry minutes
    // later would otherwise carry a timestamp receivers reject as outside their tolerance (5 minutes).
    attemptHeaders = () => {
      const ts = Math.floor((o.now?.() ?? new Date()).getTime() / 1000);
      return [['webhook-id', envelope.eventId], ['webhook-timestamp', String(ts)], ['webhook-signature', signStandardWebhook(secret, envelope.eventId, ts, body)]];
    };
  }
  try {
    const ex = await sendRequest(
      { method: 'POST', url: s.url, headers: (s.headers ?? []).map((h): [string, string] => [h.name, h.value]), attemptHeaders, body, contentType: 'application/json; charset=utf-8' },
      { ...o.send, connection: conn, secrets: o.secrets, retry: o.retry, signal: o.signal, followRedirects: 0, failOnNon2xx: true, now: o.now },
    );
    return { subscriptionId: s.id, url: s.url, ok: true, status: ex.response?.status, durationMs: Date.now() - t0, attempts: ex.attempts, ...(o.keepExchange ? { exchange: ex } : {}) };
  } catch (e) {
    const err = e instanceof HttpError ? e : new HttpError((e as Error).message, 'network');
    const ex = err.exchange as Exchange | undefined;
    return {
      subscriptionId: s.id,
      url: s.url,
      ok: false,
      status: ex?.response?.status,
      durationMs: Date.now() - t0,
      attempts: ex?.attempts ?? [],
      error: { code: err.code, message: err.message },
      ...(o.keepExchange && ex ? { exchange: ex } : {}),
    };
  }
}
