import { secretName } from './secrets';

export interface KeyEntry {
  id: string;
  label: string;
  secret: string;
  createdAt?: string;
}

/** `hl-input`, outlined red when the cell at this path (`[0].label`) has an error. */
export const cellClass = (invalid: ReadonlySet<string> | undefined, rest: string) => `hl-input${invalid?.has(rest) ? ' invalid' : ''}`;

export const MIN_OWN_KEY_LENGTH = 16;

/**
 * Why a pasted API key cannot be used, naming the field ("API key value: must be at least 16 characters"),
 * or null. Callers send it in a header, so it must be one token of visible characters.
 *
 * @example
 * ownKeyError('short'); // "API key value: must be at least 16 characters"
 */
export function ownKeyError(value: string): string | null {
  if (!value) return 'API key value: is required';
  if (/\s/.test(value) || [...value].some((c) => c.charCodeAt(0) < 32 || c.charCodeAt(0) === 127)) return 'API key value: must not contain spaces, tabs or line breaks';
  if (value.length < MIN_OWN_KEY_LENGTH) return `API key value: must be at least ${MIN_OWN_KEY_LENGTH} characters (${value.length} now)`;
  if (value.length > 512) return 'API key value: must be at most 512 characters';
  return null;
}

/** A new row of the API keys list: its value lives in a secret named after the flow, node and row id. */
export function newKeyEntry(keys: readonly KeyEntry[], owner: { flowId: string; nodeId: string }, id: string, now = new Date()): KeyEntry {
  // A label no other key has (after a removal `Key ${keys.length + 1}` may be taken): labels must differ.
  const taken = new Set(keys.map((k) => String(k.label ?? '').trim().toLowerCase()));
  let label = 'Default';
  for (let n = keys.length + 1; taken.has(label.toLowerCase()); n++) label = `Key ${n}`;
  return { id, label, secret: secretName(owner.flowId, owner.nodeId, id), createdAt: now.toISOString() };
}

/** An API key of another webhook trigger, offered for reuse (the seed: one key may serve several triggers). */
export interface OtherKey {
  flowId: string;
  flowName: string;
  nodeId: string;
  label: string;
  secret: string;
}

type FlowLike = { id: string; name: string; nodes: Array<{ id: string; type: string; settings?: unknown }> };

/**
 * The API keys of every webhook trigger except `owner`'s own, one per secret (a key already shared shows once),
 * without those this trigger already has.
 *
 * @example
 * otherTriggerKeys([flowA, flowB], { flowId: 'b', nodeId: 'hook' }, keys) // [{ flowName: 'Orders', label: 'ITscope', secret: 'A_HOOK_K1', ... }]
 */
export function otherTriggerKeys(flows: readonly FlowLike[], owner: { flowId: string; nodeId: string }, have: readonly KeyEntry[]): OtherKey[] {
  const seen = new Set(have.map((k) => k.secret));
  const out: OtherKey[] = [];
  for (const f of flows) {
    for (const n of f.nodes) {
      if (n.type !== 'webhook' || (f.id === owner.flowId && n.id === owner.nodeId)) continue;
      const auth = (n.settings as { auth?: { type?: string; keys?: KeyEntry[] } } | undefined)?.auth;
      if (auth?.type !== 'apiKey' || !Array.isArray(auth.keys)) continue;
      for (const k of auth.keys) {
        if (!k?.secret || seen.has(k.secret)) continue;
        seen.add(k.secret);
        out.push({ flowId: f.id, flowName: f.name, nodeId: n.id, label: String(k.label ?? ''), secret: k.secret });
      }
    }
  }
  return out;
}

/** A row that points at another trigger's key: same secret (so the same value), a label no row of this list has. */
export function sharedKeyEntry(keys: readonly KeyEntry[], other: OtherKey, id: string, now = new Date()): KeyEntry {
  const taken = new Set(keys.map((k) => String(k.label ?? '').trim().toLowerCase()));
  const base = other.label.trim() || 'Shared key';
  let label = base;
  for (let n = 2; taken.has(label.toLowerCase()); n++) label = `${base} (${n})`;
  return { id, label, secret: other.secret, createdAt: now.toISOString() };
}
