import { jsonOf } from '../../model/json-cache';
import type { CompiledTemplate } from '../../template/template';
import { compileTemplateAt, renderFailure } from '../map/expression-support';
import type { NodeRunner } from '../runner-types';
import { TEMPLATE_CONTENT_TYPES, type RespondSettings } from './spec';

export const respondRunner: NodeRunner<RespondSettings, CompiledTemplate | undefined> = {
  type: 'respond',
  // Compiled once at deploy; a syntax error fails the deploy at `settings.template` with line and column.
  prepare: (s, ctx) => (s.bodyMode === 'template' ? compileTemplateAt(s.template, { kind: s.templateKind, missing: s.missing }, ctx, 'template') : undefined),
  // Not async: data / text / simple-path templates answer without a microtask on the request-response hot path.
  run(input, ctx) {
    const s = ctx.settings;
    const headers: Record<string, string> = {};
    for (const h of s.headers) headers[h.name.toLowerCase()] = h.value;
    let body: unknown;
    if (s.bodyMode === 'data') {
      // Always JSON-encoded: a string datum must arrive as a JSON string, not as bare text.
      // The same text the execution record stores for this data: made once (see model/json-cache.ts).
      body = input.data === undefined ? 'null' : jsonOf(input.data);
      headers['content-type'] ??= s.contentType ?? 'application/json; charset=utf-8';
    } else if (s.bodyMode === 'text') {
      body = s.body;
      headers['content-type'] ??= s.contentType ?? 'text/plain; charset=utf-8';
    } else if (s.bodyMode === 'template' && ctx.prepared) {
      headers['content-type'] ??= s.contentType ?? TEMPLATE_CONTENT_TYPES[s.templateKind];
      let rendered: string | Promise<string>;
      try {
        rendered = ctx.prepared.render({ data: input.data, trigger: input.trigger, vars: input.vars, env: ctx.env });
      } catch (e) {
        throw renderFailure(e);
      }
      const reply = (text: string) => {
        ctx.respond({ status: s.status, headers, body: text });
        return { message: input };
      };
      return typeof rendered === 'string' ? reply(rendered) : rendered.then(reply, (e) => Promise.reject(renderFailure(e)));
    } else body = '';
    ctx.respond({ status: s.status, headers, body });
    return { message: input };
  },
};
