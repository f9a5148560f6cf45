/**
 * Webhook messages whose `trigger.body` is exactly what parsing `trigger.rawBody` gives, with the raw bytes.
 * The webhook ingest notes them; the execution store then keeps only the raw bytes and parses them again on
 * read, instead of storing the body twice (parsed and base64). Messages are immutable, so the note stays true.
 *
 * The bytes are kept as they came (usually a view into one of Node's shared 8 KB pool slabs, which a
 * short-lived message pins only briefly); the store copies them into the batch's spool when it writes the row
 * (core/store/spool.ts), never hands the view itself to its writer thread (postMessage would copy the whole slab).
 */
const parsedFromRaw = new WeakMap<object, Uint8Array>();

export function noteBodyParsedFromRaw(trigger: object, raw: Uint8Array): void {
  parsedFromRaw.set(trigger, raw);
}

/** The raw bytes a trigger's body was parsed from, when the ingest noted them. */
export function rawBodyOf(trigger: object | undefined): Uint8Array | undefined {
  return trigger ? parsedFromRaw.get(trigger) : undefined;
}
