import { describe, expect, it } from 'vitest';
import { defaultStepTab, firstStepToShow, lastResponseBody, prettyBody } from '../../renderer/panels/step-view';
import { executionOf } from '../../renderer/panels/test-draft';

describe('executions panel: where a run opens and what the HTTP tab shows', () => {
  it('opens a failed run on its failed step, an outbound failure on its HTTP traffic', () => {
    expect(firstStepToShow([{ status: 'succeeded' }, { status: 'succeeded' }, { status: 'failed' }])).toBe(2);
    expect(firstStepToShow([{ status: 'succeeded' }, { status: 'succeeded' }])).toBe(0);
    expect(firstStepToShow([])).toBe(0);
    // The caller gave up waiting: the slow step is the one to look at, though it succeeded in the end.
    const late = [{ status: 'succeeded', durationMs: 0.1 }, { status: 'succeeded', durationMs: 4020 }, { status: 'succeeded', durationMs: 0.2 }];
    expect(firstStepToShow(late, 'timed-out')).toBe(1);
    expect(firstStepToShow(late, 'succeeded')).toBe(0);
    expect(defaultStepTab({ status: 'failed', attempts: [{}] })).toBe('http');
    expect(defaultStepTab({ status: 'failed' })).toBe('data');
    expect(defaultStepTab({ status: 'succeeded', attempts: [{}] })).toBe('data');
    expect(defaultStepTab(undefined)).toBe('data');
  });

  it("finds the last answer's body: the partner's in a failure, the output's otherwise", () => {
    expect(lastResponseBody({ status: 'failed', error: { details: { status: 500, headers: {}, body: { error: 'db down' } } } })).toEqual({ error: 'db down' });
    expect(lastResponseBody({ status: 'failed', error: { details: { code: 'ECONNREFUSED' } } })).toBeUndefined();
    expect(lastResponseBody({ status: 'succeeded', output: { data: { status: 201, headers: {}, body: { ok: true } } } })).toEqual({ ok: true });
    // Output "body only": the data is the body.
    expect(lastResponseBody({ status: 'succeeded', output: { data: { ok: true } } })).toEqual({ ok: true });
  });

  it('indents JSON, also JSON sent as text, and leaves other text alone', () => {
    expect(prettyBody('{"a":1}')).toBe('{\n  "a": 1\n}');
    expect(prettyBody({ a: [1] })).toBe('{\n  "a": [\n    1\n  ]\n}');
    expect(prettyBody('{not json')).toBe('{not json');
    expect(prettyBody('<a/>')).toBe('<a/>');
  });
});

describe('test request: the execution it started', () => {
  const sent = '2026-12-02T10:00:00.000Z';
  const answered = '2026-12-02T10:00:01.000Z';
  it('is the one its answer names, else the one run queued while it was on its way', () => {
    expect(executionOf('{"error":"http_status","executionId":"01a-x"}', [], sent, answered)).toBe('01a-x');
    const runs = [
      { id: 'later', queuedAt: '2026-12-02T10:00:02.000Z' },
      { id: 'mine', queuedAt: '2026-12-02T10:00:00.300Z' },
      { id: 'before', queuedAt: '2026-12-02T09:59:59.000Z' },
    ];
    expect(executionOf('{"ok":true}', runs, sent, answered)).toBe('mine');
    expect(executionOf('plain text', runs, sent, answered)).toBe('mine');
    // Two runs in that window: which one is not known, so none is named.
    expect(executionOf('{}', [...runs, { id: 'other', queuedAt: '2026-12-02T10:00:00.500Z' }], sent, answered)).toBeUndefined();
  });
});
