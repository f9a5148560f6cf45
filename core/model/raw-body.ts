/**
 * Webhook messages whose `trigger.body` is exactly what parsing `trigger.rawBody` gives, with the raw bytes.
 * The webhook ingest notes them; the execution store then keeps only the raw bytes and parses them again on
 * read, instead of storing the body twice (parsed and base64). Messages are immutable, so the note stays true.
 */
const parsedFromRaw = new WeakMap<object, Uint8Array>();

export function noteBodyParsedFromRaw(trigger: object, raw: Uint8Array): void {
  parsedFromRaw.set(trigger, standalone(raw));
}

/**
 * The bytes in a buffer of their own. A small Node Buffer is usually a view into a shared 8 KB pool slab (or a
 * larger read buffer): kept as is it would keep the whole slab alive, and postMessage to the store's writer
 * thread would copy the whole slab, not the view (measured: 8,192 bytes sent for a 400-byte body).
 */
export function standalone(bytes: Uint8Array): Uint8Array {
  return bytes.byteOffset === 0 && bytes.buffer.byteLength === bytes.byteLength ? bytes : new Uint8Array(bytes);
}

/** The raw bytes a trigger's body was parsed from, when the ingest noted them. */
export function rawBodyOf(trigger: object | undefined): Uint8Array | undefined {
  return trigger ? parsedFromRaw.get(trigger) : undefined;
}
