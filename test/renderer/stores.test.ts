import { describe, expect, it } from 'vitest';
import { createLiveStore } from '../../renderer/state/live-store';
import { createViewStore, resolvedTheme } from '../../renderer/state/view-store';
import { createWorkspace } from '../../renderer/state/workspace';
import { keepSelectionInSync } from '../../renderer/state/selection-sync';
import { guardUnsavedChanges } from '../../renderer/state/unsaved-guard';
import { createFakeHost } from './fake-host';

describe('live store', () => {
  it('tracks executions and per-node run state from run events', () => {
    const live = createLiveStore();
    const h = live.getState().handleEvent;
    h({ type: 'execution.queued', executionId: 'x1', flowId: 'f', nodeId: 'w', at: 't0' });
    h({ type: 'execution.started', executionId: 'x1', flowId: 'f', at: 't1' });
    h({ type: 'step.finished', executionId: 'x1', flowId: 'f', step: { executionId: 'x1', index: 0, nodeId: 'w', nodeType: 'webhook', status: 'succeeded', port: 'out', startedAt: 't1', durationMs: 1 } });
    h({ type: 'step.finished', executionId: 'x1', flowId: 'f', step: { executionId: 'x1', index: 1, nodeId: 'l', nodeType: 'log', status: 'failed', error: { message: 'boom' }, startedAt: 't1', durationMs: 1 } });
    h({ type: 'execution.finished', executionId: 'x1', flowId: 'f', status: 'failed', at: 't2', durationMs: 5 });
    const s = live.getState();
    expect(s.executions.f).toHaveLength(1);
    expect(s.executions.f[0]).toMatchObject({ status: 'failed', durationMs: 5, triggerNodeId: 'w' });
    expect(s.lastRun.f.w.status).toBe('succeeded');
    expect(s.lastRun.f.l).toMatchObject({ status: 'failed', error: 'boom' });
    expect(s.edgeCounts.f['w:out']).toBe(1);
    h({ type: 'execution.started', executionId: 'x2', flowId: 'f', at: 't3', businessKey: 'SO-9', retryOf: 'x1' });
    expect(live.getState().lastRun.f).toEqual({});
    // A run announced by its events shows its business key and retry mark at once.
    expect(live.getState().executions.f[0]).toMatchObject({ id: 'x2', status: 'running', businessKey: 'SO-9', retryOf: 'x1' });
  });

  it('seeds canvas marks from a stored execution, but never over live ones', () => {
    const live = createLiveStore();
    const step = (nodeId: string, status: 'succeeded' | 'failed') => ({ executionId: 'x', index: 0, nodeId, nodeType: 't', status, port: 'out', startedAt: 't', durationMs: 1 });
    live.getState().seedFromExecution({ id: 'x', flowId: 'f', flowRevision: 1, triggerNodeId: 'w', status: 'failed', queuedAt: 't', steps: [step('w', 'succeeded'), step('l', 'failed')] });
    expect(live.getState().lastRun.f.l.status).toBe('failed');
    expect(live.getState().edgeCounts.f['w:out']).toBe(1);
    live.getState().seedFromExecution({ id: 'y', flowId: 'f', flowRevision: 1, triggerNodeId: 'w', status: 'succeeded', queuedAt: 't', steps: [step('l', 'succeeded')] });
    expect(live.getState().lastRun.f.l.executionId).toBe('x');
    // The run opened in the Executions panel replaces the marks: its nodes only, its edge counts.
    live.getState().seedFromExecution({ id: 'y', flowId: 'f', flowRevision: 1, triggerNodeId: 'w', status: 'succeeded', queuedAt: 't', steps: [step('l', 'succeeded')] }, { replace: true });
    expect(live.getState().lastRun.f).toEqual({ l: expect.objectContaining({ executionId: 'y', status: 'succeeded' }) });
    expect(live.getState().edgeCounts.f).toEqual({ 'l:out': 1 });
  });

  it('follows deploy / undeploy events', () => {
    const live = createLiveStore();
    live.getState().handleEvent({ type: 'flow.deployed', flowId: 'f', revision: 3, at: 't' });
    expect(live.getState().deployments.f.revision).toBe(3);
    live.getState().handleEvent({ type: 'flow.undeployed', flowId: 'f', at: 't' });
    expect(live.getState().deployments.f).toBeUndefined();
  });
});

describe('view store', () => {
  it('ignores equal selections and resolves the theme from the system', () => {
    const v = createViewStore();
    let n = 0;
    v.subscribe(() => n++);
    v.getState().select({ nodes: ['b', 'a'] });
    v.getState().select({ nodes: ['a', 'b'] });
    expect(n).toBe(1);
    expect(resolvedTheme(v.getState())).toBe('light');
    v.getState().setSystemDark(true);
    expect(resolvedTheme(v.getState())).toBe('dark');
    v.getState().focusProblem('n1', 'path');
    expect(v.getState().selection.nodes).toEqual(['n1']);
  });
});

describe('workspace', () => {
  it('creates a flow, autosaves edits (debounced), and marks the document saved', async () => {
    const fake = createFakeHost();
    const ws = createWorkspace(fake.host, createLiveStore(), { autosaveMs: 5 });
    await ws.getState().init();
    const cur = ws.getState().current!;
    expect(fake.flows.size).toBe(1);
    cur.doc.addNode('webhook', { x: 0, y: 0 });
    cur.doc.addNode('log', { x: 0, y: 0 });
    expect(ws.getState().saveStatus).toBe('dirty');
    for (let i = 0; i < 100 && ws.getState().saveStatus !== 'saved'; i++) await new Promise((r) => setTimeout(r, 10));
    expect(ws.getState().saveStatus).toBe('saved');
    expect(fake.flows.get(cur.id)!.nodes).toHaveLength(2);
    expect(fake.calls.filter((c) => c.startsWith('saveFlow')).length).toBe(2); // create + one debounced save
  });

  it('an edit during a save stays dirty and is saved next', async () => {
    const fake = createFakeHost();
    const ws = createWorkspace(fake.host, createLiveStore(), { autosaveMs: 100_000 });
    await ws.getState().init();
    const doc = ws.getState().current!.doc;
    doc.addNode('log', { x: 0, y: 0 });
    const release = fake.holdSaves();
    const first = ws.getState().saveNow();
    await new Promise((r) => setTimeout(r, 5));
    doc.addNode('respond', { x: 0, y: 0 });
    release();
    await first;
    expect(ws.getState().saveStatus).toBe('dirty');
    await ws.getState().saveNow();
    expect(ws.getState().saveStatus).toBe('saved');
    expect(fake.flows.get(doc.get().id)!.nodes).toHaveLength(2);
  });

  it('delete returns an undo that restores the flow', async () => {
    const fake = createFakeHost();
    const ws = createWorkspace(fake.host, createLiveStore(), { autosaveMs: 5 });
    await ws.getState().init();
    const id = ws.getState().current!.id;
    const restore = await ws.getState().deleteFlow(id);
    expect(fake.flows.has(id)).toBe(false);
    await restore();
    expect(fake.flows.has(id)).toBe(true);
    expect(ws.getState().current!.id).toBe(id);
    expect(fake.calls).not.toContain(`deploy:${id}`); // it was not live
  });

  it('undoing the delete of a live flow deploys it again', async () => {
    const fake = createFakeHost();
    const live = createLiveStore();
    const ws = createWorkspace(fake.host, live, { autosaveMs: 5 });
    await ws.getState().init();
    const id = ws.getState().current!.id;
    ws.getState().current!.doc.addNode('webhook', { x: 0, y: 0 });
    await ws.getState().saveNow();
    await fake.host.deploy(id);
    const restore = await ws.getState().deleteFlow(id);
    await fake.host.undeploy(id); // what the host's deleteFlow does to a live flow
    await restore();
    expect(fake.calls.filter((c) => c === `deploy:${id}`)).toHaveLength(2);
    expect(live.getState().deployments[id]).toBeDefined();
  });

  it('import rejects invalid JSON with a field path and accepts a valid flow', async () => {
    const fake = createFakeHost();
    const ws = createWorkspace(fake.host, createLiveStore(), { autosaveMs: 5 });
    await ws.getState().init();
    const bad = await ws.getState().importFlow(JSON.stringify({ formatVersion: 1, id: 'x', name: '', nodes: [] }));
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.problems[0].path).toBe('name');
    const good = await ws.getState().importFlow(JSON.stringify({ formatVersion: 1, id: 'imported', name: 'Imp', nodes: [{ id: 'a', type: 'log' }] }));
    expect(good).toEqual({ ok: true, id: 'imported' });
    expect(fake.flows.get('imported')!.nodes).toHaveLength(1);
  });

  it('import of a bundle says it is one (for Import bundle) instead of listing every field the flow schema misses', async () => {
    const fake = createFakeHost();
    const ws = createWorkspace(fake.host, createLiveStore(), { autosaveMs: 5 });
    await ws.getState().init();
    const before = fake.flows.size;
    const r = await ws.getState().importFlow(JSON.stringify({ kind: 'hookline.bundle', formatVersion: 1, manifest: {}, flows: [] }));
    expect(r).toEqual({ ok: false, bundle: true, problems: [expect.objectContaining({ path: '', message: expect.stringContaining('use Import bundle') })] });
    expect(fake.flows.size).toBe(before);
  });
});

describe('workspace deploy', () => {
  it('turns a thrown deploy error into problems instead of an unhandled rejection', async () => {
    const fake = createFakeHost();
    fake.host.deploy = async () => {
      throw Object.assign(new Error('refused'), { problems: [{ path: 'nodes[0].settings.path', code: 'route_conflict', message: 'route taken' }] });
    };
    const ws = createWorkspace(fake.host, createLiveStore(), { autosaveMs: 5 });
    await ws.getState().init();
    const r = await ws.getState().deploy();
    expect(r.ok).toBe(false);
    expect(ws.getState().problems[0].code).toBe('route_conflict');
    expect(ws.getState().busy).toBe(false);
  });
});

describe('selection sync', () => {
  it('clears the selection when another flow opens and prunes nodes an undo removed', async () => {
    const fake = createFakeHost();
    const ws = createWorkspace(fake.host, createLiveStore(), { autosaveMs: 100_000 });
    const view = createViewStore();
    const stop = keepSelectionInSync(ws, view);
    await ws.getState().init();
    const first = ws.getState().current!;
    const a = first.doc.addNode('webhook', { x: 0, y: 0 });
    view.getState().select({ nodes: [a] });
    view.getState().showExecution('x1');
    const second = await ws.getState().createFlow('Second');
    expect(ws.getState().current!.id).toBe(second);
    expect(view.getState().selection.nodes).toEqual([]);
    expect(view.getState().openExecution).toBeNull();

    // Add a node, select it, undo the add: the selection must not keep the removed node.
    const doc = ws.getState().current!.doc;
    const kept = doc.addNode('log', { x: 0, y: 0 });
    const added = doc.addNode('respond', { x: 0, y: 100 });
    view.getState().select({ nodes: [kept, added] });
    doc.undo();
    expect(view.getState().selection.nodes).toEqual([kept]);
    stop();
  });
});

describe('unsaved changes guard', () => {
  it('saves at once and asks the browser to prompt when edits are still waiting for the autosave', async () => {
    const fake = createFakeHost();
    const ws = createWorkspace(fake.host, createLiveStore(), { autosaveMs: 100_000 });
    await ws.getState().init();
    const target = new EventTarget();
    const stop = guardUnsavedChanges(ws, target as unknown as Window, { prompt: true });
    const unload = () => {
      const e = new Event('beforeunload', { cancelable: true }) as Event & { returnValue?: unknown };
      target.dispatchEvent(e);
      return e;
    };
    expect(unload().defaultPrevented).toBe(false); // nothing pending: no prompt
    const doc = ws.getState().current!.doc;
    doc.addNode('log', { x: 0, y: 0 });
    expect(ws.getState().saveStatus).toBe('dirty');
    expect(unload().defaultPrevented).toBe(true);
    for (let i = 0; i < 100 && ws.getState().saveStatus !== 'saved'; i++) await new Promise((r) => setTimeout(r, 5));
    expect(fake.flows.get(doc.get().id)!.nodes).toHaveLength(1); // saved without waiting for the 100 s autosave
    stop();
  });
});
