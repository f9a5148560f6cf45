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
