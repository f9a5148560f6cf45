import { z } from 'zod';
import type { NodeSpec } from '../spec-types';

const headerName = z.string().min(1).regex(/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/, { message: 'must be a valid HTTP header name' });
const headerValue = z.string().regex(/^[^\r\n]*$/, { message: 'must not contain CR or LF' });

export const respondSettingsSchema = z.object({
  status: z.number().int().min(100).max(599).default(200),
  headers: z.array(z.object({ name: headerName, value: headerValue })).default([]),
  /** `data`: the current message data as JSON; `text`: the body field as is; `empty`: no body. */
  bodyMode: z.enum(['data', 'text', 'empty']).default('data'),
  body: z.string().default(''),
  contentType: z.string().optional(),
});
export type RespondSettings = z.infer<typeof respondSettingsSchema>;

export const respondSpec: NodeSpec<typeof respondSettingsSchema> = {
  type: 'respond',
  version: 1,
  category: 'utility',
  title: 'Respond',
  description: 'Answers the waiting webhook caller (request-response triggers) and passes the message on.',
  icon: 'reply',
  settings: respondSettingsSchema,
  inputs: [{ id: 'in', label: 'in' }],
  outputs: () => [{ id: 'out', label: 'out' }],
  subtitle: (s) => `${s.status} ${s.bodyMode === 'data' ? 'JSON data' : s.bodyMode}`,
  fields: [
    { key: 'status', label: 'Status code', widget: 'number' },
    {
      key: 'bodyMode',
      label: 'Body',
      widget: 'select',
      options: [
        { value: 'data', label: 'Message data (JSON)' },
        { value: 'text', label: 'Text' },
        { value: 'empty', label: 'Empty' },
      ],
    },
    { key: 'body', label: 'Body text', widget: 'template', language: 'text', visibleWhen: { bodyMode: ['text'] } },
    { key: 'contentType', label: 'Content type', widget: 'text', placeholder: 'application/json', advanced: true },
    { key: 'headers', label: 'Headers', widget: 'keyValue', advanced: true },
  ],
  example: { status: 200, bodyMode: 'data' },
};
