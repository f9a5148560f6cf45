import { XMLParser } from 'fast-xml-parser';
import { BoundedMap } from '../model/bounded-map';

/** Response bodies parsed by content type, so flows read `response.body.order.id` for JSON and XML alike. */
export type BodyEncoding = 'json' | 'xml' | 'text' | 'base64' | 'empty';

export interface ParsedBody {
  body: unknown;
  encoding: BodyEncoding;
  /** The text as received (JSON, XML and text responses), for records and for templates that want it raw. */
  rawText?: string;
  /** Set when the content type promised JSON or XML but the text did not parse; body is then the text. */
  parseError?: string;
}

const xml = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@_', parseTagValue: false, trimValues: true });

/**
 * @example
 * parseBody(Buffer.from('{"a":1}'), 'application/json; charset=utf-8') // { body: { a: 1 }, encoding: 'json', rawText: '{"a":1}' }
 */
export function parseBody(buf: Buffer, contentType: string | undefined): ParsedBody {
  if (buf.length === 0) return { body: '', encoding: 'empty', rawText: '' };
  const { ct, charset } = mediaType(contentType ?? '');
  const text = () => (charset === 'iso-8859-1' || charset === 'latin1' ? buf.toString('latin1') : buf.toString('utf8'));
  if (ct === 'application/json' || ct.endsWith('+json') || ct === 'text/json') {
    const t = text();
    try {
      return { body: JSON.parse(t), encoding: 'json', rawText: t };
    } catch (e) {
      return { body: t, encoding: 'text', rawText: t, parseError: `response says JSON but is not: ${(e as Error).message}` };
    }
  }
  if (ct === 'application/xml' || ct === 'text/xml' || ct.endsWith('+xml')) {
    const t = text();
    try {
      return { body: xml.parse(t, true), encoding: 'xml', rawText: t };
    } catch (e) {
      return { body: t, encoding: 'text', rawText: t, parseError: `response says XML but is not: ${(e as Error).message}` };
    }
  }
  if (ct.startsWith('text/') || ct === 'application/x-www-form-urlencoded' || ct === 'application/javascript' || ct === '') {
    // No content type: treat as text when it decodes cleanly, else keep the bytes.
    if (ct === '' && !isProbablyText(buf)) return { body: buf.toString('base64'), encoding: 'base64' };
    const t = text();
    return { body: t, encoding: 'text', rawText: t };
  }
  return { body: buf.toString('base64'), encoding: 'base64' };
}

/** Content types seen before: a partner answers with the same one every time. */
const mediaTypes = new BoundedMap<string, { ct: string; charset?: string }>(200);

function mediaType(contentType: string): { ct: string; charset?: string } {
  let m = mediaTypes.get(contentType);
  if (!m) {
    m = { ct: contentType.split(';')[0].trim().toLowerCase(), charset: /charset="?([^;"]+)/i.exec(contentType)?.[1]?.toLowerCase() };
    mediaTypes.set(contentType, m);
  }
  return m;
}

function isProbablyText(buf: Buffer): boolean {
  const sample = buf.subarray(0, 512);
  if (sample.includes(0)) return false;
  return !buf.toString('utf8', 0, sample.length).includes('\uFFFD');
}
