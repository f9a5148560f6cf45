import { z } from 'zod';
import type { NodeSpec } from '../spec-types';

/** An XML 1.0 name as we accept it for element and attribute names (ASCII plus letters beyond ASCII, no colon games). */
export const XML_NAME = /^[A-Za-z_\u00C0-\uFFEF][\w.\-\u00B7\u00C0-\uFFEF]*(?::[A-Za-z_\u00C0-\uFFEF][\w.\-\u00B7\u00C0-\uFFEF]*)?$/;

export const buildXmlSettingsSchema = z.object({
  /** Expression giving the object to turn into XML (default `data`). */
  source: z.string().min(1, { message: 'must not be empty' }).default('data'),
  /** Wraps the value in this element. Empty: the value must be an object with exactly one element key. */
  rootName: z
    .string()
    .default('')
    .refine((v) => v === '' || XML_NAME.test(v), { message: 'must be a valid XML element name (letters, digits, "_", "-", "." and one optional prefix)' }),
  /** Element name for the items when the value is an array (they need one parent). */
  itemName: z
    .string()
    .default('item')
    .refine((v) => XML_NAME.test(v), { message: 'must be a valid XML element name' }),
  /** Starts the document with `<?xml version="1.0" encoding="UTF-8"?>`. */
  declaration: z.boolean().default(true),
  /** Indents nested elements (two spaces per level). */
  pretty: z.boolean().default(false),
});
export type BuildXmlSettings = z.infer<typeof buildXmlSettingsSchema>;

export const buildXmlSpec: NodeSpec<typeof buildXmlSettingsSchema> = {
  type: 'build-xml',
  version: 1,
  category: 'processing',
  title: 'Build XML',
  description:
    'Turns an object into an XML string in `data`. Keys become elements, keys starting with `@_` attributes, `#text` the element text, arrays repeated elements. Text and attribute values are escaped; invalid element names fail the step.',
  icon: 'xml',
  settings: buildXmlSettingsSchema,
  inputs: [{ id: 'in', label: 'in' }],
  outputs: () => [{ id: 'out', label: 'out' }],
  subtitle: (s) => (s.rootName ? `<${s.rootName}> from ${s.source}` : `from ${s.source}`),
  fields: [
    { key: 'source', label: 'Source', widget: 'expression', language: 'jsonata', placeholder: 'data' },
    { key: 'rootName', label: 'Root element', widget: 'text', placeholder: 'Order', help: 'Leave empty when the object has one top-level key that is the root.' },
    { key: 'declaration', label: 'XML declaration', widget: 'toggle' },
    { key: 'pretty', label: 'Indent', widget: 'toggle' },
    { key: 'itemName', label: 'Array item element', widget: 'text', advanced: true },
  ],
  example: { source: 'data.order', rootName: 'SalesOrder', declaration: true, pretty: false },
};
