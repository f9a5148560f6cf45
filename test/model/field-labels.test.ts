import { describe, expect, it } from 'vitest';
import { fieldForPath, humanizeKey, parsePath, problemText, rowLabel, settingsLabel } from '../../core/model/field-labels';
import { formatProblem, type Problem } from '../../core/model/problems';
import { validateFlow } from '../../core/model/validate';
import { findSpec } from '../../core/nodes/catalogue';
import { httpRequestSpec } from '../../core/nodes/http-request/spec';
import { webhookSpec } from '../../core/nodes/webhook/spec';

const queryParams = webhookSpec.fields.find((f) => f.key === 'queryParams')!;

describe('field labels for problems', () => {
  it('splits paths and humanises keys', () => {
    expect(parsePath('auth.keys[1].label')).toEqual(['auth', 'keys', 1, 'label']);
    expect(parsePath('[0]["x.y"]')).toEqual([0, 'x.y']);
    expect(humanizeKey('retryCount')).toBe('Retry count');
  });

  it('names settings paths with the spec labels, rows by number and columns by their label', () => {
    expect(settingsLabel(httpRequestSpec.fields, 'retry.retryCount')).toBe('Retry count');
    expect(fieldForPath(webhookSpec.fields, 'auth.keys[1].label')?.key).toBe('auth.keys');
    expect(settingsLabel(webhookSpec.fields, 'queryParams[0].name')).toBe('Query parameters › Row 1 · Name');
    expect(rowLabel(queryParams, '[1].default')).toBe('Row 2 · Default');
    expect(rowLabel(webhookSpec.fields.find((f) => f.key === 'auth.keys'), '[1].label')).toBe('Key 2 · Label');
    expect(settingsLabel([], 'somethingElse')).toBe('Something else');
  });

  it('turns real validation problems into "Node › Field: message", keeping the path on the problem', () => {
    const flow = {
      formatVersion: 1,
      id: 'f',
      name: 'F',
      nodes: [
        { id: 'hook', type: 'webhook', version: 1, position: { x: 0, y: 0 }, settings: { methods: ['POST'], path: '/x', queryParams: [{ required: true }] } },
        { id: 'log', type: 'log', version: 1, position: { x: 0, y: 0 }, settings: {} },
        { id: 'call', type: 'http-request', version: 1, position: { x: 0, y: 0 }, settings: { url: 'http://127.0.0.1:9/x', retry: { retryCount: 6 } } },
      ],
      edges: [],
    };
    const { problems } = validateFlow(flow as never);
    const retry = problems.find((p) => p.path.endsWith('retryCount'))!;
    expect(formatProblem(retry)).toBe('nodes[2].settings.retry.retryCount: must be at most 5');
    expect(problemText(retry, flow.nodes, findSpec)).toBe('Web Integration › Retry count: must be at most 5');
    const row = problems.find((p) => p.path.includes('queryParams'))!;
    expect(problemText(row, flow.nodes, findSpec)).toBe('Webhook › Query parameters › Row 1 · Name: is required');
    const named = [{ ...flow.nodes[2], name: 'Call ERP' }];
    expect(problemText({ ...retry, path: 'nodes[0].settings.retry.retryCount' }, named, findSpec)).toBe('Call ERP › Retry count: must be at most 5');
  });

  it('leaves flow-level problems readable', () => {
    const p: Problem = { path: 'name', code: 'required', message: 'must not be empty' };
    expect(problemText(p, [], findSpec)).toBe('Name: must not be empty');
    expect(problemText({ path: '', code: 'no_trigger', message: 'add a trigger' }, [], findSpec)).toBe('add a trigger');
  });
});
