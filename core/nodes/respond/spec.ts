import { z } from 'zod';
import type { FieldSpec, NodeSpec } from '../spec-types';

const TEMPLATE_KINDS = ['json', 'xml', 'text'] as const;
const headerName = z.string().min(1).regex(/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/, { message: 'must be a valid HTTP header name' });
const headerValue = z.string().regex(/^[^\r\n]*$/, { message: 'must not contain CR or LF' });

export const respondSettingsSchema = z.object({
  status: z.number().int().min(100).max(599).default(200),
  headers: z.array(z.object({ name: headerName, value: headerValue })).default([]),
  /** `data`: the current message data as JSON; `text`: the body field as is; `template`: the template rendered; `empty`: no body. */
  bodyMode: z.enum(['data', 'text', 'template', 'empty']).default('data'),
  body: z.string().default(''),
  /** Rendered with the template engine (compiled at deploy) when bodyMode is `template`. */
  template: z.string().default(''),
  templateKind: z.enum(TEMPLATE_KINDS).default('json'),
  /** What a template token with no value inserts: `empty`, `null`, or `fail` the step. */
  missing: z.enum(['empty', 'null', 'fail']).default('empty'),
  contentType: z.string().regex(/^[^\r\n]*$/, { message: 'must not contain CR or LF' }).optional(),
});

/** Content type a template body gets unless `contentType` or a header says otherwise. */
export const TEMPLATE_CONTENT_TYPES: Record<(typeof TEMPLATE_KINDS)[number], string> = {
  json: 'application/json; charset=utf-8',
  xml: 'application/xml; charset=utf-8',
  text: 'text/plain; charset=utf-8',
};
export type RespondSettings = z.infer<typeof respondSettingsSchema>;

export const respondSpec: NodeSpec<typeof respondSettingsSchema> = {
  type: 'respond',
  version: 1,
  category: 'utility',
  title: 'Respond',
  description: 'Answers the waiting webhook caller (request-response triggers) and passes the message on. After a webhook that acknowledges at once (202) it answers no one: that webhook gets a warning on its Response setting.',
  icon: 'reply',
  settings: respondSettingsSchema,
  inputs: [{ id: 'in', label: 'in' }],
  outputs: () => [{ id: 'out', label: 'out' }],
  subtitle: (s) => `${s.status} ${s.bodyMode === 'data' ? 'JSON data' : s.bodyMode === 'template' ? `${s.templateKind.toUpperCase()} template` : s.bodyMode}`,
  fields: [
    { key: 'status', label: 'Status code', widget: 'number' },
    {
      key: 'bodyMode',
      label: 'Body',
      widget: 'select',
      options: [
        { value: 'data', label: 'Message data (JSON)' },
        { value: 'text', label: 'Text' },
        { value: 'template', label: 'Template (JSON / XML / text)' },
        { value: 'empty', label: 'Empty' },
      ],
    },
    { key: 'body', label: 'Body text', widget: 'template', language: 'text', visibleWhen: { bodyMode: ['text'] } },
    {
      key: 'templateKind',
      label: 'Template kind',
      widget: 'select',
      options: [{ value: 'json', label: 'JSON' }, { value: 'xml', label: 'XML' }, { value: 'text', label: 'Text' }],
      visibleWhen: { bodyMode: ['template'] },
    },
    // One editor per kind, so the inspector highlights and checks the template in its own language.
    ...TEMPLATE_KINDS.map((k): FieldSpec => ({
      key: 'template',
      label: 'Body template',
      widget: 'template',
      language: k,
      visibleWhen: { bodyMode: ['template'], templateKind: [k] },
      help: 'Tokens {{ expression }} are escaped for their position in the document.',
    })),
    {
      key: 'missing',
      label: 'Missing values',
      widget: 'select',
      advanced: true,
      options: [{ value: 'empty', label: 'Empty' }, { value: 'null', label: 'null' }, { value: 'fail', label: 'Fail the step' }],
      visibleWhen: { bodyMode: ['template'] },
    },
    { key: 'contentType', label: 'Content type', widget: 'text', placeholder: 'application/json', advanced: true },
    { key: 'headers', label: 'Headers', widget: 'keyValue', advanced: true, help: 'Values may use {{ }} tokens, e.g. Location: /orders/{{ data.id }}.' },
  ],
  example: {
    status: 200,
    bodyMode: 'template',
    templateKind: 'json',
    template: '{ "received": true, "orderId": {{ data.orderId }}, "lines": [{{#each data.lines as l}}"{{ l.sku }}"{{/each}}] }',
  },
};
