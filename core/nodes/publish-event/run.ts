import { buildEnvelope, deliverEvent, stableEventId } from '../../http/event-delivery';
import type { Problem } from '../../model/problems';
import { ProblemsError } from '../../model/problems';
import { compileExpression, type CompiledExpression } from '../../template/expression';
import { NodeError, type NodeResult, type NodeRunner } from '../runner-types';
import { ENVELOPE_FIELDS, type PublishEventSettings } from './spec';

/** Envelope field expressions, compiled once per deploy. */
type Prepared = Array<[string, CompiledExpression]>;

export const publishEventRunner: NodeRunner<PublishEventSettings, Prepared> = {
  type: 'publish-event',
  prepare(s, ctx) {
    const problems: Problem[] = [];
    const out: Prepared = [];
    const add = (name: string, src: string | undefined, field: string) => {
      if (!src || !src.trim()) return;
      try {
        out.push([name, compileExpression(src)]);
      } catch (e) {
        problems.push({ path: `${ctx.path}.${field}`, code: 'expression_syntax', message: (e as Error).message, nodeId: ctx.node.id });
      }
    };
    for (const f of ENVELOPE_FIELDS) add(f, s[f], f);
    s.custom.forEach((c, i) => add(c.name, c.expression, `custom[${i}].expression`));
    if (problems.length) throw new ProblemsError(problems);
    if (!ctx.subscriptions) ctx.logger.warn('Publish Event: this runtime has no event subscriptions; events will reach nobody', { nodeId: ctx.node.id });
    return out;
  },

  async run(input, ctx) {
    const s = ctx.settings;
    const fields: Record<string, unknown> = {};
    for (const [name, e] of ctx.prepared) {
      const v = await e.evaluate(input, { env: ctx.env });
      if (v === undefined || v === null) continue;
      // Standard fields are strings in the envelope (ITscope sends ids as strings); custom ones keep their JSON type.
      fields[name] = (ENVELOPE_FIELDS as readonly string[]).includes(name) && typeof v !== 'string' ? String(v) : v;
    }
    // A retry sends the same event (same id) again: partners de-duplicate by it (Standard Webhooks webhook-id).
    const origin = ctx.originExecutionId ? await ctx.originExecutionId() : ctx.executionId;
    const event = buildEnvelope(s.eventType, fields, new Date(), ctx.stepIndex === undefined ? undefined : stableEventId(origin, ctx.stepIndex));
    const subs = ctx.subscriptions?.forType(s.eventType) ?? [];
    const base = { executionId: ctx.executionId, nodeId: ctx.node.id };
    const deliveries = await deliverEvent(event, subs, {
      secrets: ctx.secrets,
      retry: { ...s.retry, maxDelayMs: 60_000, retryAfterCapMs: 120_000 },
      timeoutMs: s.timeoutMs,
      signal: ctx.signal,
      send: {
        onAttempt: (a) => ctx.emit({ type: 'http.attempt', ...base, attempt: a.attempt, method: a.method, url: a.url, status: a.status, durationMs: a.durationMs, error: a.error }),
        onRetry: (r) => ctx.emit({ type: 'retry.scheduled', ...base, attempt: r.attempt, delayMs: r.delayMs, reason: r.reason }),
        onWarning: (w) => ctx.emit({ type: 'warning', code: w.code, message: w.message, flowId: ctx.flow.id, ...base }),
      },
    });
    const failed = deliveries.filter((d) => !d.ok);
    const attempts = deliveries.flatMap((d) => d.attempts.map((a) => ({ subscriptionId: d.subscriptionId, ...a })));
    const data = {
      event,
      delivered: deliveries.length - failed.length,
      failed: failed.length,
      deliveries: deliveries.map(({ attempts: a, exchange: _x, ...d }) => ({ ...d, attempts: a.length })),
    };
    const fail = failed.length > 0 && (s.failWhen === 'any' || (s.failWhen === 'all' && failed.length === deliveries.length));
    if (fail) {
      const why = failed.map((d) => `${d.subscriptionId}: ${d.error?.message ?? `status ${d.status}`}`).join('; ');
      const err = new NodeError(`${failed.length} of ${deliveries.length} ${s.eventType} deliveries failed (${why})`, 'delivery_failed', data, 502);
      (err as NodeError & { attempts?: unknown[] }).attempts = attempts;
      throw err;
    }
    if (!subs.length) ctx.emit({ type: 'warning', code: 'no_subscribers', message: `no enabled, applied subscriber for ${s.eventType}`, flowId: ctx.flow.id, ...base });
    const result: NodeResult & { attempts: unknown[] } = { message: { ...input, data }, attempts };
    return result;
  },
};
