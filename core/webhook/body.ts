import type { IncomingMessage } from 'node:http';
import { HttpError } from './http-error';
import { findJsonErrorOffset, positionOf } from './json-error';
import { DEFAULT_MAX_XML_DEPTH, parseXmlBody } from './xml-body';

export { HttpError } from './http-error';

/**
 * Reads a request body into one Buffer, never holding more than `maxBytes` of it.
 *
 * A declared Content-Length above the limit rejects at once without reading a byte; a chunked (or lying)
 * body rejects as soon as the running total passes the limit and stops reading: the request is paused
 * and nothing more is buffered. The 413 carries `Connection: close` because the unread rest of the body
 * is still on the socket; the runtime should answer and let Node close the connection rather than drain
 * it.
 *
 * @example
 * ```ts
 * const raw = await readBody(req, settings.maxBodyBytes); // rejects with HttpError(413) when too large
 * ```
 */
export function readBody(req: IncomingMessage, maxBytes: number): Promise<Buffer> {
  const declared = req.headers['content-length'];
  if (declared !== undefined && Number(declared) > maxBytes) return Promise.reject(tooLarge(maxBytes));
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let total = 0;
    const cleanup = () => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('aborted', onAborted);
    };
    const onData = (chunk: Buffer) => {
      total += chunk.length;
      if (total > maxBytes) {
        cleanup();
        req.pause();
        chunks.length = 0;
        reject(tooLarge(maxBytes));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      cleanup();
      resolve(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, total));
    };
    const onError = (err: Error) => {
      cleanup();
      reject(new HttpError(400, { error: 'body_read_failed', message: `could not read the request body: ${err.message}` }));
    };
    const onAborted = () => onError(new Error('the client aborted the request'));
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('aborted', onAborted);
  });
}

function tooLarge(maxBytes: number): HttpError {
  return new HttpError(
    413,
    { error: 'payload_too_large', message: `request body exceeds the limit of ${maxBytes} bytes (maxBodyBytes)`, limit: maxBytes },
    { connection: 'close' },
  );
}

export type BodyKind = 'json' | 'xml' | 'form' | 'text' | 'binary' | 'empty';
export interface ParsedBody {
  kind: BodyKind;
  /** JSON value, XML object, form record, string, base64 string (binary) or null (empty). */
  body: unknown;
}
export interface ParseBodyOptions {
  /** Deepest element nesting accepted in XML bodies (default 100). */
  maxXmlDepth?: number;
}

const LATIN1 = new Set(['iso-8859-1', 'latin1', 'latin-1', 'l1', 'iso_8859-1', 'iso8859-1', 'cp819', 'ibm819']);

/**
 * Decides the body kind from the Content-Type and parses it.
 *
 * - JSON: `application/json`, any `+json`, and a missing Content-Type whose body starts with `{` or `[`
 *   (a leading `<` means XML, anything else text).
 * - XML: `application/xml`, `text/xml`, any `+xml` (DTDs rejected, see `parseXmlBody`).
 * - form: `application/x-www-form-urlencoded`; a repeated key becomes an array in arrival order.
 * - text: any other `text/*`. binary: everything else, as a base64 string. empty: no bytes, body null.
 * Text is decoded as UTF-8 unless the charset says latin1 / ISO-8859-1.
 * Malformed JSON or XML throws HttpError(400) with `{ error: 'malformed_body', message, line, column }`.
 *
 * Prototype safety, one rule for every format: keys are kept verbatim as own data properties, exactly as
 * `JSON.parse` creates them. Nothing is ever assigned through the `__proto__` setter, and bracket keys such
 * as `a[b][c]` are not expanded into nested objects, so no payload can reach Object.prototype. Code that
 * later copies a body must use spread / structuredClone, never a recursive `target[key] = value` merge.
 *
 * @example
 * ```ts
 * parseBody(Buffer.from('a=1&a=2&b=x'), 'application/x-www-form-urlencoded'); // { kind: 'form', body: { a: ['1', '2'], b: 'x' } }
 * parseBody(Buffer.from('{"id":7}'), undefined); // { kind: 'json', body: { id: 7 } }
 * ```
 */
export function parseBody(raw: Buffer, contentType: string | undefined, opts: ParseBodyOptions = {}): ParsedBody {
  if (raw.length === 0) return { kind: 'empty', body: null };
  let media = '';
  let latin1 = false;
  if (contentType) {
    const semi = contentType.indexOf(';');
    media = (semi < 0 ? contentType : contentType.slice(0, semi)).trim().toLowerCase();
    if (semi >= 0) {
      const cs = /charset\s*=\s*"?([^";\s]+)/i.exec(contentType.slice(semi));
      latin1 = cs !== null && LATIN1.has(cs[1].toLowerCase());
    }
  }
  const kind = media ? kindOfMedia(media) : sniff(raw);
  switch (kind) {
    case 'json':
      return { kind, body: parseJson(decode(raw, latin1)) };
    case 'xml':
      return { kind, body: parseXmlBody(decode(raw, latin1), opts.maxXmlDepth ?? DEFAULT_MAX_XML_DEPTH) };
    case 'form':
      return { kind, body: parseForm(decode(raw, latin1)) };
    case 'text':
      return { kind, body: decode(raw, latin1) };
    default:
      return { kind: 'binary', body: raw.toString('base64') };
  }
}

function kindOfMedia(media: string): BodyKind {
  if (media === 'application/json' || media.endsWith('+json')) return 'json';
  if (media === 'application/xml' || media === 'text/xml' || media.endsWith('+xml')) return 'xml';
  if (media === 'application/x-www-form-urlencoded') return 'form';
  if (media.startsWith('text/')) return 'text';
  return 'binary';
}

/** Missing Content-Type: look at the first non-whitespace byte (after a UTF-8 BOM). */
function sniff(raw: Buffer): BodyKind {
  let i = raw[0] === 0xef && raw[1] === 0xbb && raw[2] === 0xbf ? 3 : 0;
  while (i < raw.length && (raw[i] === 0x20 || raw[i] === 0x09 || raw[i] === 0x0a || raw[i] === 0x0d)) i++;
  const c = raw[i];
  if (c === 0x7b || c === 0x5b) return 'json';
  if (c === 0x3c) return 'xml';
  return 'text';
}

function decode(raw: Buffer, latin1: boolean): string {
  if (latin1) return raw.toString('latin1');
  // Buffer#toString keeps a BOM, which JSON.parse and the XML validator would then choke on.
  const start = raw[0] === 0xef && raw[1] === 0xbb && raw[2] === 0xbf ? 3 : 0;
  return raw.toString('utf8', start);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    let offset = findJsonErrorOffset(text);
    if (offset < 0) {
      // Our scanner and V8 disagree (should not happen): fall back to V8's own position if it gave one.
      const m = /at position (\d+)/.exec(message);
      offset = m ? Number(m[1]) : text.length;
    }
    const { line, column } = positionOf(text, offset);
    // V8's "at position N" counts from 0 next to our 1-based line and column: say the place once, our way.
    const what = message.replace(/\s*(?:in JSON )?at position \d+(?: \(line \d+ column \d+\))?/, '').replace(/, "[\s\S]*" is not valid JSON$/, '');
    const hint = !text.trim() ? ' (the body is empty)' : text.trimStart().startsWith('<') ? ' (the body looks like XML, not JSON)' : '';
    throw new HttpError(400, { error: 'malformed_body', message: `JSON: ${what} (line ${line}, column ${column})${hint}`, line, column });
  }
}

function parseForm(text: string): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [key, value] of new URLSearchParams(text)) {
    if (Object.hasOwn(out, key)) {
      const prev = out[key];
      if (Array.isArray(prev)) prev.push(value);
      else setOwn(out, key, [prev, value]);
    } else setOwn(out, key, value);
  }
  return out;
}

function setOwn(obj: Record<string, unknown>, key: string, value: unknown): void {
  // Plain assignment is fine for every key but `__proto__`, whose setter would swap the object's prototype.
  if (key === '__proto__') Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
  else obj[key] = value;
}
