import { z } from 'zod';
import { headerNameSchema, headerValueSchema, secretRefSchema } from './connection';
import type { Problem } from './problems';
import { zodProblems } from './zod-problems';

/**
 * Event subscriptions: the app as a webhook sender (the ITscope side). Per event type a subscriber URL,
 * an enabled flag and how deliveries authenticate. Browser-safe: the studio's settings page validates
 * with the same schema the host applies. Secrets appear by name only.
 */

/** The document events ITscope sends; users may add their own upper-case types. */
export const STANDARD_EVENT_TYPES = ['ORDER', 'ORDERRESPONSE', 'DELIVERY', 'INVOICE'] as const;

export const eventTypeSchema = z.string().regex(/^[A-Z][A-Z0-9_]{0,63}$/, {
  message: 'must be upper-case letters, digits and "_", starting with a letter (e.g. ORDER)',
});

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * Whether a subscriber URL may be used: https always; http only for localhost / 127.0.0.1 (local testing),
 * and then with a warning, because the event and its credentials would travel in clear text.
 *
 * @example
 * checkSubscriptionUrl('http://127.0.0.1:9000/hook') // { ok: true, warning: 'uses http:// ...' }
 * checkSubscriptionUrl('http://partner.example/hook') // { ok: false, error: 'must be an https:// URL ...' }
 */
export function checkSubscriptionUrl(url: string): { ok: boolean; error?: string; warning?: string } {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return { ok: false, error: 'must be an absolute https:// URL' };
  }
  if (u.protocol === 'https:') return { ok: true };
  if (u.protocol === 'http:' && LOCAL_HOSTS.has(u.hostname)) {
    return { ok: true, warning: 'uses http:// (allowed only for localhost; events are sent unencrypted)' };
  }
  return { ok: false, error: 'must be an https:// URL (http:// is allowed only for localhost and 127.0.0.1)' };
}

const subscriberUrlSchema = z.string().superRefine((s, ctx) => {
  const r = checkSubscriptionUrl(s);
  if (!r.ok) ctx.addIssue({ code: 'custom', message: r.error! });
});

export const subscriptionAuthSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('none') }),
  /** Basic auth with a write-only password (a secret name), as ITscope's "Basisauthentifizierung". */
  z.object({
    type: z.literal('basic'),
    username: z.string().min(1).refine((s) => !s.includes(':'), { message: 'must not contain ":"' }),
    passwordSecret: secretRefSchema,
  }),
  /** Standard Webhooks signing: `webhook-id`, `webhook-timestamp`, `webhook-signature` with a `whsec_` secret. */
  z.object({ type: z.literal('standardWebhooks'), secret: secretRefSchema }),
]);

/** Headers the studio sets itself: auth, the Standard Webhooks signature and the body's framing. */
const OWN_HEADERS = new Set(['authorization', 'content-type', 'content-length', 'host', 'transfer-encoding', 'webhook-id', 'webhook-timestamp', 'webhook-signature']);

/** A custom header sent with every delivery (an API version, a routing key); credentials belong in `auth`. */
export const subscriptionHeaderSchema = z.object({
  name: headerNameSchema.refine((n) => !OWN_HEADERS.has(n.toLowerCase()), { message: 'is set by the studio (auth, signature or body); use another header name' }),
  value: headerValueSchema,
});

export const subscriptionSchema = z.object({
  /** Stable id (several subscribers may share an event type). */
  id: z.string().regex(/^[A-Za-z0-9_.-]{1,100}$/, { message: 'must be 1-100 letters, digits, "_", "." or "-"' }),
  eventType: eventTypeSchema,
  /** Events are sent only when enabled AND the URL is set (as on ITscope's page). */
  enabled: z.boolean().default(false),
  url: subscriberUrlSchema,
  auth: subscriptionAuthSchema.default({ type: 'none' }),
  /** Custom headers (the Web Integration seed's "Custom Headers Required"), sent on every delivery and test event. */
  headers: z.array(subscriptionHeaderSchema).max(50).optional(),
  description: z.string().max(500).optional(),
});

export const subscriptionSetSchema = z
  .object({ subscriptions: z.array(subscriptionSchema).default([]) })
  .superRefine((set, ctx) => {
    const seen = new Map<string, number>();
    set.subscriptions.forEach((s, i) => {
      if (seen.has(s.id)) ctx.addIssue({ code: 'custom', path: ['subscriptions', i, 'id'], message: `duplicates subscriptions[${seen.get(s.id)}].id "${s.id}"` });
      else seen.set(s.id, i);
    });
  });

export type SubscriptionAuth = z.infer<typeof subscriptionAuthSchema>;
export type Subscription = z.infer<typeof subscriptionSchema>;
export type SubscriptionSet = z.infer<typeof subscriptionSetSchema>;
export type SubscriptionSetInput = z.input<typeof subscriptionSetSchema>;

/** What the settings page shows: the draft being edited and the set that is live. */
export interface SubscriptionState {
  draft: SubscriptionSet;
  applied: SubscriptionSet;
  /** True when the draft differs from the applied set ("apply changes" is pending). */
  pending: boolean;
  savedAt?: string;
  appliedAt?: string;
  /** Secrets whose new value was saved with the draft and goes live on apply (deliveries use the old one until then). */
  stagedSecrets?: string[];
  /** Warnings of the draft (http://localhost URLs, secrets not set). */
  problems: Problem[];
}

/** Applied subscriptions as nodes see them: the enabled subscribers of one event type. */
export interface SubscriptionLookup {
  forType(eventType: string): Subscription[];
}

/**
 * Validates a subscription set: every error with its path (`subscriptions[1].url: must be an https:// URL ...`),
 * plus a warning for each http://localhost URL.
 *
 * @example
 * const { set, problems } = validateSubscriptions({ subscriptions: [{ id: 'orders', eventType: 'ORDER', enabled: true, url: 'https://erp.example/hook' }] });
 */
export function validateSubscriptions(input: unknown): { set?: SubscriptionSet; problems: Problem[] } {
  const parsed = subscriptionSetSchema.safeParse(input);
  if (!parsed.success) return { problems: zodProblems(parsed.error) };
  const problems: Problem[] = [];
  parsed.data.subscriptions.forEach((s, i) => {
    const w = checkSubscriptionUrl(s.url).warning;
    if (w) problems.push({ path: `subscriptions[${i}].url`, code: 'invalid_value', message: w, severity: 'warning' });
  });
  return { set: parsed.data, problems };
}

/** Whether Publish Event delivers events of `eventType` to `s`: enabled, of that type, with a URL (as on ITscope's page). */
export function deliversTo(s: Subscription, eventType: string): boolean {
  return s.enabled && s.eventType === eventType && !!s.url;
}

/** A lookup over a list of subscriptions (a bundle's): the ones that deliver an event type (see deliversTo). */
export function subscriptionLookup(list: readonly Subscription[]): SubscriptionLookup {
  return { forType: (eventType) => list.filter((s) => deliversTo(s, eventType)) };
}

/**
 * Subscriptions after importing a bundle's: one of an id that is here is kept (`rename`, keep what is here, as with
 * connections) or replaced by the bundle's (`replace`); the others are added. Returns the list and what happened.
 */
export function mergeSubscriptions(mine: readonly Subscription[], theirs: readonly Subscription[], onConflict: 'rename' | 'replace'): { list: Subscription[]; result: Array<{ id: string; kept?: boolean; replaced?: boolean }> } {
  const list = [...mine];
  const result: Array<{ id: string; kept?: boolean; replaced?: boolean }> = [];
  for (const s of theirs) {
    const i = list.findIndex((x) => x.id === s.id);
    if (i === -1) {
      list.push(s);
      result.push({ id: s.id });
    } else if (onConflict === 'replace') {
      list[i] = s;
      result.push({ id: s.id, replaced: true });
    } else result.push({ id: s.id, kept: true });
  }
  return { list, result };
}
