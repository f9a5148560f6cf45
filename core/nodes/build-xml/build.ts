import { XMLBuilder } from 'fast-xml-parser';
import { escapeXmlAttr, escapeXmlText, stripXmlForbidden } from '../../template/escape';
import { NodeError } from '../runner-types';
import { XML_NAME, type BuildXmlSettings } from './spec';

/** The XML Build XML makes of a value: run by the node and by the studio's preview (so both agree; browser-safe). */

const ATTR = '@_';
const TEXT = '#text';
// processEntities is off because `prepareTree` has already escaped every value (the builder's own escaping
// leaves tabs and line breaks raw in attributes, where parsers would normalise them to spaces).
const builders = {
  compact: new XMLBuilder({ ignoreAttributes: false, attributeNamePrefix: ATTR, textNodeName: TEXT, processEntities: false, suppressBooleanAttributes: false }),
  pretty: new XMLBuilder({ ignoreAttributes: false, attributeNamePrefix: ATTR, textNodeName: TEXT, processEntities: false, suppressBooleanAttributes: false, format: true, indentBy: '  ' }),
};

/**
 * Builds an XML document from a value. Throws NodeError `build_failed` naming the path of a key that is
 * not a valid XML name (so data can never inject markup through its keys).
 * @example
 * buildXml({ id: 7, '@_type': 'B2B' }, { rootName: 'Order', itemName: 'item', declaration: false, pretty: false });
 * // '<Order type="B2B"><id>7</id></Order>'
 */
export function buildXml(value: unknown, s: Pick<BuildXmlSettings, 'rootName' | 'itemName' | 'declaration' | 'pretty'>): string {
  let tree: Record<string, unknown>;
  if (s.rootName) tree = { [s.rootName]: Array.isArray(value) ? { [s.itemName]: value } : value };
  else {
    if (!isPlainObject(value)) throw new NodeError('without a root element name the value must be an object with one key (the root element)', 'build_failed', undefined, 500);
    const keys = Object.keys(value).filter((k) => value[k] !== undefined);
    if (keys.length !== 1 || keys[0].startsWith(ATTR) || keys[0] === TEXT || Array.isArray(value[keys[0]]))
      throw new NodeError(`without a root element name the value must have exactly one element key, it has ${keys.length ? keys.map((k) => JSON.stringify(k)).join(', ') : 'none'}`, 'build_failed', undefined, 500);
    tree = value;
  }
  const xml = (s.pretty ? builders.pretty : builders.compact).build(prepareTree(tree, '')) as string;
  const body = s.pretty ? xml.trimEnd() : xml;
  return s.declaration ? `<?xml version="1.0" encoding="UTF-8"?>${s.pretty ? '\n' : ''}${body}` : body;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** A copy of the tree with names checked and every leaf turned into escaped text. */
function prepareTree(node: Record<string, unknown>, path: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(node)) {
    const v = node[key];
    if (v === undefined) continue;
    const at = path ? `${path}.${key}` : key;
    if (key === TEXT) {
      define(out, key, leaf(v, false));
      continue;
    }
    const isAttr = key.startsWith(ATTR);
    const name = isAttr ? key.slice(ATTR.length) : key;
    if (!XML_NAME.test(name))
      throw new NodeError(`${at}: ${JSON.stringify(name)} is not a valid XML ${isAttr ? 'attribute' : 'element'} name`, 'build_failed', { path: at }, 500);
    if (isAttr) define(out, key, leaf(v, true));
    else if (Array.isArray(v)) define(out, key, v.filter((x) => x !== undefined).map((x, i) => (isPlainObject(x) ? prepareTree(x, `${at}[${i}]`) : leaf(x, false))));
    else define(out, key, isPlainObject(v) ? prepareTree(v, at) : leaf(v, false));
  }
  return out;
}

function leaf(v: unknown, attr: boolean): string | null {
  if (v === null) return attr ? '' : null;
  const text = typeof v === 'string' ? v : typeof v === 'object' ? JSON.stringify(v) : String(v);
  const clean = stripXmlForbidden(text);
  return attr ? escapeXmlAttr(clean) : escapeXmlText(clean);
}

function define(obj: Record<string, unknown>, key: string, value: unknown) {
  if (key === '__proto__') Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
  else obj[key] = value;
}
