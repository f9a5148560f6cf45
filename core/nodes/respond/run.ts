import { headerCharProblem } from '../../http/header-set';
import { jsonOf } from '../../model/json-cache';
import type { Message } from '../../model/message';
import type { CompiledTemplate } from '../../template/template';
import { compileTemplateAt, renderFailure } from '../map/expression-support';
import { NodeError, type NodeResult, type NodeRunner, type RunContext } from '../runner-types';
import { TEMPLATE_CONTENT_TYPES, type RespondSettings } from './spec';

/** A header value: as written, or a text template when it has `{{ }}` tokens (e.g. `Location: /orders/{{ data.id }}`). */
type HeaderValue = string | CompiledTemplate;

interface Prepared {
  body?: CompiledTemplate;
  headers: Array<[name: string, value: HeaderValue]>;
  /** Some header value is a template: rendered per message. */
  templated: boolean;
}

export const respondRunner: NodeRunner<RespondSettings, Prepared> = {
  type: 'respond',
  // Compiled once at deploy; a syntax error fails the deploy at `settings.template` (or the header's value) with line and column.
  prepare(s, ctx) {
    const headers: Prepared['headers'] = s.headers.map((h, i) => [
      h.name.toLowerCase(),
      h.value.includes('{{') ? compileTemplateAt(h.value, { kind: 'text', missing: s.missing }, ctx, `headers[${i}].value`) : h.value,
    ]);
    return {
      body: s.bodyMode === 'template' ? compileTemplateAt(s.template, { kind: s.templateKind, missing: s.missing }, ctx, 'template') : undefined,
      headers,
      templated: headers.some(([, v]) => typeof v !== 'string'),
    };
  },
  // Not async: data / text / simple-path templates answer without a microtask on the request-response hot path.
  run(input, ctx) {
    const p = ctx.prepared;
    if (!p.templated) return reply(input, ctx, fixedHeaders(p));
    let pending: Promise<unknown> | undefined;
    const headers: Record<string, string> = {};
    for (const [name, value] of p.headers) {
      const v = typeof value === 'string' ? value : renderOrFail(value, input, ctx);
      if (typeof v === 'string') headers[name] = checkedValue(name, v);
      else pending = Promise.all([pending, v.then((text) => (headers[name] = checkedValue(name, text)), (e) => Promise.reject(renderFailure(e)))]);
    }
    return pending ? pending.then(() => reply(input, ctx, headers)) : reply(input, ctx, headers);
  },
};

function fixedHeaders(p: Prepared): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of p.headers) headers[name] = value as string;
  return headers;
}

function renderOrFail(t: CompiledTemplate, input: Message, ctx: RunContext<RespondSettings, Prepared>): string | Promise<string> {
  try {
    return t.render({ data: input.data, trigger: input.trigger, vars: input.vars, env: ctx.env });
  } catch (e) {
    throw renderFailure(e);
  }
}

/** A rendered value must still be one header line. */
function checkedValue(name: string, value: string): string {
  if (/[\r\n\0]/.test(value)) throw new NodeError(`headers: the value of "${name}" contains a line break after rendering`, 'invalid_header');
  const problem = headerCharProblem(value);
  if (problem) throw new NodeError(`headers: the value of "${name}" ${problem}`, 'invalid_header');
  return value;
}

function reply(input: Message, ctx: RunContext<RespondSettings, Prepared>, headers: Record<string, string>): NodeResult | Promise<NodeResult> {
  const s = ctx.settings;
  let body: unknown;
  if (s.bodyMode === 'data') {
    // Always JSON-encoded: a string datum must arrive as a JSON string, not as bare text.
    // The same text the execution record stores for this data: made once (see model/json-cache.ts).
    body = input.data === undefined ? 'null' : jsonOf(input.data);
    headers['content-type'] ??= s.contentType ?? 'application/json; charset=utf-8';
  } else if (s.bodyMode === 'text') {
    body = s.body;
    headers['content-type'] ??= s.contentType ?? 'text/plain; charset=utf-8';
  } else if (s.bodyMode === 'template' && ctx.prepared.body) {
    headers['content-type'] ??= s.contentType ?? TEMPLATE_CONTENT_TYPES[s.templateKind];
    const rendered = renderOrFail(ctx.prepared.body, input, ctx);
    const send = (text: string) => {
      ctx.respond({ status: s.status, headers, body: text });
      return { message: input };
    };
    return typeof rendered === 'string' ? send(rendered) : rendered.then(send, (e) => Promise.reject(renderFailure(e)));
  } else body = '';
  ctx.respond({ status: s.status, headers, body });
  return { message: input };
}
