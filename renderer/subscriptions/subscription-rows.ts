import type { Problem } from '../../core/model/problems';
import { checkSubscriptionUrl, STANDARD_EVENT_TYPES, validateSubscriptions, type Subscription, type SubscriptionSet, type SubscriptionSetInput } from '../../core/model/subscription';
import { secretName } from '../inspector/secrets';

/**
 * The subscriptions page edits rows: one per subscription, plus an empty row for each standard event type
 * that has none yet (as ITscope's page lists every type). Empty, disabled rows are not part of the set.
 */
export interface SubRow {
  id: string;
  eventType: string;
  enabled: boolean;
  url: string;
  auth: Subscription['auth'];
  /** Custom headers as typed; rows with neither name nor value are left out of the set. */
  headers?: Array<{ name: string; value: string }>;
  description?: string;
}

export function rowsFromSet(set: SubscriptionSet): SubRow[] {
  const rows: SubRow[] = set.subscriptions.map((s) => ({ ...s, auth: s.auth ?? { type: 'none' } }));
  for (const t of STANDARD_EVENT_TYPES) if (!rows.some((r) => r.eventType === t)) rows.push(emptyRow(t, rows));
  const order = (t: string) => {
    const i = (STANDARD_EVENT_TYPES as readonly string[]).indexOf(t);
    return i < 0 ? STANDARD_EVENT_TYPES.length : i;
  };
  return rows.sort((a, b) => order(a.eventType) - order(b.eventType) || a.eventType.localeCompare(b.eventType));
}

export function emptyRow(eventType: string, existing: SubRow[] = []): SubRow {
  const base = eventType.toLowerCase().replace(/_/g, '-');
  let id = base;
  for (let n = 2; existing.some((r) => r.id === id); n++) id = `${base}-${n}`;
  return { id, eventType, enabled: false, url: '', auth: { type: 'none' } };
}

const isBlank = (r: SubRow) => !r.enabled && r.url.trim() === '';

/** The set to save, and for each row its index in the set (-1: left out because blank). */
export function setFromRows(rows: SubRow[]): { set: SubscriptionSetInput; index: number[] } {
  const index: number[] = [];
  const subscriptions: SubscriptionSetInput['subscriptions'] = [];
  for (const r of rows) {
    if (isBlank(r)) {
      index.push(-1);
      continue;
    }
    index.push(subscriptions!.length);
    const headers = (r.headers ?? []).filter((h) => h.name.trim() || h.value).map((h) => ({ name: h.name.trim(), value: h.value }));
    subscriptions!.push({ id: r.id, eventType: r.eventType, enabled: r.enabled, url: r.url.trim(), auth: r.auth, ...(headers.length ? { headers } : {}), ...(r.description ? { description: r.description } : {}) });
  }
  return { set: { subscriptions }, index };
}

/** Errors and warnings per row and field (`url`, `auth.username`, `headers[0].name`), from the core validation. */
export function rowProblems(rows: SubRow[]): Array<Record<string, Problem[]>> {
  const { set, index } = setFromRows(rows);
  const { problems } = validateSubscriptions(set);
  return rows.map((r, i) => {
    const out: Record<string, Problem[]> = {};
    const at = index[i];
    if (at >= 0) {
      const prefix = `subscriptions[${at}].`;
      for (const p of problems) if (p.path.startsWith(prefix)) (out[p.path.slice(prefix.length)] ??= []).push(p);
    }
    return out;
  });
}

/** A warning to show while typing (http://localhost), before the set is even valid. */
export function urlHint(url: string): string | undefined {
  if (!url.trim()) return undefined;
  const r = checkSubscriptionUrl(url.trim());
  return r.warning;
}

export const subSecretName = (id: string, what: 'password' | 'signing') => secretName('SUB', id, what);

/** A Standard Webhooks signing secret: `whsec_` + base64 of 24 random bytes. */
export function newSigningSecret(): string {
  const b = crypto.getRandomValues(new Uint8Array(24));
  return `whsec_${btoa(String.fromCharCode(...b))}`;
}

export function sameRows(a: SubRow[], b: SubRow[]): boolean {
  return JSON.stringify(setFromRows(a).set) === JSON.stringify(setFromRows(b).set);
}
