/**
 * Webhook messages whose `trigger.body` is exactly what parsing `trigger.rawBody` gives, with the raw bytes.
 * The webhook ingest notes them; the execution store then keeps only the raw bytes and parses them again on
 * read, instead of storing the body twice (parsed and base64). Messages are immutable, so the note stays true.
 *
 * The bytes are kept as they came (usually a view into one of Node's shared 8 KB pool slabs, which a
 * short-lived message pins only briefly); the store hands them to its writer thread as a latin1 string, never
 * as a buffer (postMessage would copy the whole slab, and a buffer of its own per request costs an
 * allocation on each side).
 */
const parsedFromRaw = new WeakMap<object, Uint8Array>();

export function noteBodyParsedFromRaw(trigger: object, raw: Uint8Array): void {
  parsedFromRaw.set(trigger, raw);
}

/** The raw bytes a trigger's body was parsed from, when the ingest noted them. */
export function rawBodyOf(trigger: object | undefined): Uint8Array | undefined {
  return trigger ? parsedFromRaw.get(trigger) : undefined;
}
