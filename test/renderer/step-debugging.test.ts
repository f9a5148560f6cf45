import { describe, expect, it } from 'vitest';
import { defaultStepTab, firstStepToShow, lastResponseBody, prettyBody, replayCurl, runTime, stepChanges, withoutTarget } from '../../renderer/panels/step-view';
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

describe('what a retry changed', () => {
  it('names, per step, how the same step ended in the run it retried where that differs', () => {
    const original = [{ nodeId: 'hook', status: 'succeeded' }, { nodeId: 'call', status: 'failed' }];
    const retry = [{ nodeId: 'hook', status: 'succeeded' }, { nodeId: 'call', status: 'succeeded' }, { nodeId: 'reply', status: 'succeeded' }];
    expect(stepChanges(retry, original)).toEqual({ 1: 'failed', 2: 'not reached' });
    expect(stepChanges(original, original)).toEqual({});
    // The flow changed between the runs: another node at that position.
    expect(stepChanges([{ nodeId: 'map', status: 'succeeded' }], [{ nodeId: 'call', status: 'succeeded' }])).toEqual({ 0: 'not reached' });
  });
});

describe('when a run started', () => {
  it("is the time of day for today's runs, with the date before it for older ones", () => {
    const now = new Date(2026, 11, 2, 15, 0, 0);
    const today = new Date(2026, 11, 2, 9, 5, 7);
    const yesterday = new Date(2026, 11, 1, 9, 5, 7);
    const time = today.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });
    expect(runTime(today.toISOString(), now)).toBe(time);
    expect(runTime(yesterday.toISOString(), now)).toBe(`${yesterday.toLocaleDateString(undefined, { month: 'short', day: 'numeric' })} ${time}`);
    expect(runTime(yesterday.toISOString(), now)).not.toBe(runTime(today.toISOString(), now));
    expect(runTime(undefined, now)).toBe('');
  });
});

describe('the request as sent, as cURL', () => {
  it('replays method, URL, headers and body, quoted for the shell, leaving out what curl sets itself', () => {
    const c = replayCurl('POST', 'http://p/o?x=1', { 'User-Agent': 'Hookline/0.1', 'Accept-Encoding': 'gzip', Authorization: '***', 'Content-Length': '9', 'X-Note': "it's" }, '{"a":"b"}');
    expect(c).toBe(["curl -X POST 'http://p/o?x=1'", "  -H 'User-Agent: Hookline/0.1'", "  -H 'Authorization: ***'", `  -H 'X-Note: it'\\''s'`, `  --data '{"a":"b"}'`].join(' \\\n'));
    expect(replayCurl('GET', 'http://p/o', {})).toBe("curl -X GET 'http://p/o'");
  });
});

describe('HTTP attempts read short', () => {
  it("drops the request's method and URL the runtime puts in front of an error or retry reason", () => {
    const url = 'http://127.0.0.1:1/orders';
    expect(withoutTarget(`POST ${url}: ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:1`, 'POST', url)).toBe('ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:1');
    expect(withoutTarget(`network: POST ${url}: ECONNREFUSED`, 'POST', url)).toBe('network: ECONNREFUSED');
    // The runtime names the URL without its query.
    expect(withoutTarget(`GET ${url}: timeout after 50 ms`, 'GET', `${url}?page=2`)).toBe('timeout after 50 ms');
    expect(withoutTarget('status 500', 'POST', url)).toBe('status 500');
    expect(withoutTarget(`GET ${url}: x`, 'POST', url)).toBe(`GET ${url}: x`);
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
