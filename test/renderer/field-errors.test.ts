import { describe, expect, it } from 'vitest';
import type { Problem } from '../../core/model/problems';
import { httpRequestSpec } from '../../core/nodes/http-request/spec';
import { webhookSpec } from '../../core/nodes/webhook/spec';
import { errorsFor, nodeFieldErrors, nodeFieldProblems, nodeFieldWarnings } from '../../renderer/inspector/field-errors';

const queryParams = webhookSpec.fields.find((f) => f.key === 'queryParams')!;

describe('inspector field errors', () => {
  it('shows list errors by row and column, and drops a stale host verdict where the schema judges the value now', () => {
    const node = { id: 'call', settings: { url: 'http://127.0.0.1:9/x', retry: { retryCount: 2.5 } } };
    // The host validated the previous value (-1) before the user typed 2.5.
    const stale: Problem[] = [
      { path: 'nodes[0].settings.retry.retryCount', code: 'invalid_value', message: 'must be at least 0', nodeId: 'call' },
      { path: 'nodes[0].settings.url', code: 'template_syntax', message: 'unclosed {{', nodeId: 'call' },
    ];
    const m = nodeFieldErrors(httpRequestSpec, node, stale);
    expect(m.get('retry.retryCount')).toEqual(['must be an integer']);
    expect(m.get('url')).toEqual(['unclosed {{']);
    const hook = nodeFieldErrors(webhookSpec, { id: 'hook', settings: { methods: ['POST'], path: '/x', queryParams: [{ name: 'a' }, { required: true, default: 'x' }] } }, []);
    // Every problem of the row at once (the cross-field check runs even while a name is missing).
    expect(errorsFor(hook, queryParams)).toEqual([
      { text: 'Row 2 · Name: is required', rest: '[1].name' },
      { text: 'Row 2 · Default: a required parameter cannot have a default', rest: '[1].default' },
    ]);
  });

  it('keeps warnings (they do not stop a deploy) apart from errors, by settings path', () => {
    const problems: Problem[] = [
      { path: 'nodes[0].settings.responseMode', code: 'respond_unanswered', message: 'acknowledges at once', nodeId: 'hook', severity: 'warning' },
      { path: 'nodes[0].settings.path', code: 'route_conflict', message: 'POST /x is already served', nodeId: 'hook' },
      { path: 'nodes[1].settings.status', code: 'invalid_value', message: 'not mine', nodeId: 'other', severity: 'warning' },
    ];
    const node = { id: 'hook', settings: { methods: ['POST'], path: '/x' } };
    expect([...nodeFieldErrors(webhookSpec, node, problems)]).toEqual([['path', ['POST /x is already served']]]);
    expect([...nodeFieldWarnings(node, problems)]).toEqual([['responseMode', ['acknowledges at once']]]);
  });

  it('shows a disabled node\'s broken settings as warnings, judged on the current value', () => {
    // The host's verdict on the last save (-1), made a warning because the node is disabled; the user has typed 2.5 since.
    const problems: Problem[] = [
      { path: 'nodes[0].settings.retry.retryCount', code: 'invalid_value', message: 'must be at least 0 (the node is disabled)', nodeId: 'call', severity: 'warning' },
      { path: 'nodes[0].settings.url', code: 'template_syntax', message: 'unclosed {{ (the node is disabled)', nodeId: 'call', severity: 'warning' },
    ];
    const node = { id: 'call', settings: { url: 'http://127.0.0.1:9/x', retry: { retryCount: 2.5 } } };
    const off = nodeFieldProblems(httpRequestSpec, { ...node, disabled: true }, problems);
    expect([...off.errors]).toEqual([]);
    expect(off.warnings.get('retry.retryCount')).toEqual(['must be an integer (the node is disabled)']);
    expect(off.warnings.get('url')).toEqual(['unclosed {{ (the node is disabled)']);
    // Enabled again: the schema's verdict is an error at once (the host's warnings are for the disabled save).
    const on = nodeFieldProblems(httpRequestSpec, node, []);
    expect(on.errors.get('retry.retryCount')).toEqual(['must be an integer']);
    expect([...on.warnings]).toEqual([]);
  });
});
