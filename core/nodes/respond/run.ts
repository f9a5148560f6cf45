import type { NodeRunner } from '../runner-types';
import type { RespondSettings } from './spec';

export const respondRunner: NodeRunner<RespondSettings> = {
  type: 'respond',
  run(input, ctx) {
    const s = ctx.settings;
    const headers: Record<string, string> = {};
    for (const h of s.headers) headers[h.name.toLowerCase()] = h.value;
    let body: unknown;
    if (s.bodyMode === 'data') {
      // Always JSON-encoded: a string datum must arrive as a JSON string, not as bare text.
      body = JSON.stringify(input.data === undefined ? null : input.data);
      headers['content-type'] ??= s.contentType ?? 'application/json; charset=utf-8';
    } else if (s.bodyMode === 'text') {
      body = s.body;
      headers['content-type'] ??= s.contentType ?? 'text/plain; charset=utf-8';
    } else body = '';
    ctx.respond({ status: s.status, headers, body });
    return { message: input };
  },
};
