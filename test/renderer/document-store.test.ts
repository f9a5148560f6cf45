import { describe, expect, it } from 'vitest';
import { FORMAT_VERSION, flowSchema } from '../../core/model/flow';
import { createDocumentStore, isDirty } from '../../renderer/state/document-store';
import type { DocEvent } from '../../renderer/state/doc-events';

const empty = () => flowSchema.parse({ formatVersion: FORMAT_VERSION, id: 'f1', name: 'Flow', nodes: [] });

function setup() {
  const doc = createDocumentStore(empty());
  const events: DocEvent[] = [];
  doc.onEvent((e) => events.push(e));
  return { doc, events };
}

describe('document store: intent -> apply -> events', () => {
  it('addNode fills defaults from the spec, picks a unique id and emits node.added', () => {
    const { doc, events } = setup();
    const a = doc.addNode('webhook', { x: 10.4, y: 20.6 });
    const b = doc.addNode('webhook', { x: 0, y: 0 });
    expect(a).toBe('webhook-1');
    expect(b).toBe('webhook-2');
    const node = doc.get().nodes[0];
    expect(node.position).toEqual({ x: 10, y: 21 });
    expect(node.settings.path).toBe('/webhook');
    expect(node.settings.methods).toEqual(['POST']);
    expect(events.map((e) => e.type)).toEqual(['node.added', 'node.added']);
  });

  it('renameNode keeps a space typed between words (each keystroke is a rename) and trims the name once committed', () => {
    const { doc } = setup();
    const id = doc.addNode('log', { x: 0, y: 0 });
    let typed = '';
    for (const ch of 'Compute totals ') doc.renameNode(id, (typed += ch));
    expect(doc.get().nodes[0].name).toBe('Compute totals ');
    doc.renameNode(id, '  Compute totals ', { final: true });
    expect(doc.get().nodes[0].name).toBe('Compute totals');
    doc.renameNode(id, '   ', { final: true });
    expect(doc.get().nodes[0].name).toBeUndefined();
  });

  it('a Web Integration added after a Template sends what it rendered, with its content type', () => {
    const { doc } = setup();
    const tpl = doc.addNode('template', { x: 0, y: 0 }, { settings: { kind: 'xml', template: '<a/>' } });
    const call = doc.addNode('http-request', { x: 300, y: 0 }, { after: { source: tpl } });
    expect(doc.get().nodes.find((n) => n.id === call)!.settings).toMatchObject({ method: 'POST', contentType: 'application/xml', body: '{{ data }}' });
    expect(doc.get().edges).toEqual([expect.objectContaining({ source: tpl, target: call })]);
    // Anywhere else it starts from its own defaults.
    const alone = doc.addNode('http-request', { x: 600, y: 0 });
    expect(doc.get().nodes.find((n) => n.id === alone)!.settings.contentType).toBe('application/json');
  });

  it('connect refuses edges into a trigger and cycles, with a reason', () => {
    const { doc, events } = setup();
    const w = doc.addNode('webhook', { x: 0, y: 0 });
    const l = doc.addNode('log', { x: 200, y: 0 });
    const r = doc.addNode('respond', { x: 400, y: 0 });
    expect(doc.connect({ source: l, target: w })).toMatchObject({ ok: false, reason: expect.stringContaining('trigger') });
    expect(doc.connect({ source: w, target: l }).ok).toBe(true);
    expect(doc.connect({ source: l, target: r }).ok).toBe(true);
    expect(doc.connect({ source: r, target: l })).toMatchObject({ ok: false, reason: expect.stringContaining('cycle') });
    expect(doc.connect({ source: w, target: l })).toMatchObject({ ok: false, reason: expect.stringContaining('already') });
    doc.setFlowSettings({ allowCycles: true });
    expect(doc.connect({ source: r, target: l }).ok).toBe(true);
    expect(events.filter((e) => e.type === 'edge.added')).toHaveLength(3);
    expect(doc.get().edges[0]).toMatchObject({ sourcePort: 'out', targetPort: 'in' });
  });

  it('addNode after a node links it from that port in the same undo step; not when the rules refuse (into a trigger)', () => {
    const { doc, events } = setup();
    const w = doc.addNode('webhook', { x: 0, y: 0 });
    const h = doc.addNode('http-request', { x: 288, y: 0 }, { after: { source: w, sourcePort: 'out' } });
    expect(doc.get().edges).toEqual([{ id: expect.any(String), source: w, target: h, sourcePort: 'out', targetPort: 'in' }]);
    expect(events.slice(-2).map((e) => e.type)).toEqual(['node.added', 'edge.added']);
    doc.undo();
    expect(doc.get().nodes.map((n) => n.id)).toEqual([w]);
    expect(doc.get().edges).toEqual([]);
    const t = doc.addNode('schedule', { x: 288, y: 0 }, { after: { source: w } });
    expect(doc.get().nodes.map((n) => n.id)).toEqual([w, t]);
    expect(doc.get().edges).toEqual([]);
  });

  it('setNotes keeps a note with the node (typing is one undo step); a blank note removes it', () => {
    const { doc, events } = setup();
    const l = doc.addNode('log', { x: 0, y: 0 });
    doc.setNotes(l, 'Ask');
    doc.setNotes(l, 'Ask Ada about the ERP ticket');
    expect(doc.get().nodes[0].notes).toBe('Ask Ada about the ERP ticket');
    expect(events.at(-1)).toEqual({ type: 'node.notesChanged', id: l, notes: 'Ask Ada about the ERP ticket' });
    // One undo takes back the whole typing session.
    doc.undo();
    expect(doc.get().nodes[0]).not.toHaveProperty('notes');
    doc.redo();
    expect(doc.get().nodes[0].notes).toBe('Ask Ada about the ERP ticket');
    doc.setNotes(l, '  ');
    expect(doc.get().nodes[0]).not.toHaveProperty('notes');
  });

  it('resizeNote sets a sticky note\'s size (and position, when dragged from its top or left edge) in one undo step', () => {
    const { doc, events } = setup();
    const n = doc.addNode('note', { x: 100, y: 100 });
    expect(doc.get().nodes[0].settings).toEqual({ text: '', color: 'yellow', width: 240 });
    events.length = 0;
    doc.resizeNote(n, { x: 80.4, y: 100, width: 300.6, height: 150 });
    expect(doc.get().nodes[0]).toMatchObject({ position: { x: 80, y: 100 }, settings: { width: 301, height: 150 } });
    expect(events).toEqual([
      { type: 'node.moved', id: n, position: { x: 80, y: 100 }, transient: false },
      { type: 'node.settingsChanged', id: n, path: 'width', value: 301 },
      { type: 'node.settingsChanged', id: n, path: 'height', value: 150 },
    ]);
    doc.undo();
    expect(doc.get().nodes[0]).toMatchObject({ position: { x: 100, y: 100 }, settings: { width: 240 } });
    expect(doc.get().nodes[0].settings).not.toHaveProperty('height');
  });

  it('disabling several nodes is one undo step with one event per node that changed', () => {
    const { doc, events } = setup();
    const a = doc.addNode('log', { x: 0, y: 0 });
    const b = doc.addNode('log', { x: 200, y: 0 });
    doc.setDisabled(b, true);
    events.length = 0;
    doc.setDisabled([a, b], true);
    expect(doc.get().nodes.map((n) => !!n.disabled)).toEqual([true, true]);
    expect(events).toEqual([{ type: 'node.disabledChanged', id: a, disabled: true }]);
    doc.setDisabled([a, b], false);
    expect(doc.get().nodes.map((n) => !!n.disabled)).toEqual([false, false]);
    doc.undo();
    expect(doc.get().nodes.map((n) => !!n.disabled)).toEqual([true, true]);
    doc.undo();
    expect(doc.get().nodes.map((n) => !!n.disabled)).toEqual([false, true]);
  });

  it("a pinned answer is one undo step, and goes with its node's removal (undo brings it back)", () => {
    const { doc, events } = setup();
    const call = doc.addNode('http-request', { x: 0, y: 0 });
    doc.setPinned(call, { orderNo: 'ERP-1' });
    expect(doc.get().pinned).toEqual({ [call]: { orderNo: 'ERP-1' } });
    expect(events.at(-1)).toEqual({ type: 'flow.pinnedChanged', nodeId: call, data: { orderNo: 'ERP-1' } });
    doc.removeElements([call]);
    expect(doc.get().pinned).toBeUndefined();
    doc.undo();
    expect(doc.get().pinned).toEqual({ [call]: { orderNo: 'ERP-1' } });
    doc.setPinned(call, undefined);
    expect(doc.get().pinned).toBeUndefined();
    doc.undo();
    expect(doc.get().pinned?.[call]).toEqual({ orderNo: 'ERP-1' });
  });

  it('removing a node removes its edges in one undo step', () => {
    const { doc, events } = setup();
    const w = doc.addNode('webhook', { x: 0, y: 0 });
    const l = doc.addNode('log', { x: 200, y: 0 });
    doc.connect({ source: w, target: l });
    doc.removeElements([l]);
    expect(doc.get().edges).toHaveLength(0);
    expect(events.slice(-2).map((e) => e.type)).toEqual(['edge.removed', 'node.removed']);
    doc.undo();
    expect(doc.get().nodes).toHaveLength(2);
    expect(doc.get().edges).toHaveLength(1);
  });

  it('setNodeSetting writes dotted paths immutably', () => {
    const { doc } = setup();
    const w = doc.addNode('webhook', { x: 0, y: 0 });
    const before = doc.get();
    doc.setNodeSetting(w, 'auth.type', 'apiKey');
    expect(doc.get().nodes[0].settings.auth).toEqual({ type: 'apiKey' });
    expect(before.nodes[0].settings.auth).toEqual({ type: 'none' });
  });

  it('paste gives fresh ids and keeps only inner edges', () => {
    const { doc } = setup();
    const w = doc.addNode('webhook', { x: 0, y: 0 });
    const l = doc.addNode('log', { x: 200, y: 0 });
    doc.connect({ source: w, target: l });
    const f = doc.get();
    const ids = doc.paste(f.nodes, f.edges, { x: 40, y: 40 });
    expect(ids).toEqual(['webhook-2', 'log-2']);
    expect(doc.get().edges.map((e) => `${e.source}>${e.target}`)).toEqual(['webhook-1>log-1', 'webhook-2>log-2']);
    expect(doc.get().nodes[3].position).toEqual({ x: 240, y: 40 });
  });
});

describe('document store: undo policy', () => {
  it('drag ticks are not history; the drop is one step back to where the drag began', () => {
    const { doc, events } = setup();
    const l = doc.addNode('log', { x: 0, y: 0 });
    for (let i = 1; i <= 5; i++) doc.moveNodes([{ id: l, position: { x: i * 10, y: 0 } }], 'tick');
    doc.moveNodes([{ id: l, position: { x: 60, y: 5 } }], 'end');
    expect(events.filter((e) => e.type === 'node.moved' && e.transient)).toHaveLength(5);
    expect(doc.get().nodes[0].position).toEqual({ x: 60, y: 5 });
    expect(doc.undo()).toBe(true);
    expect(doc.get().nodes[0].position).toEqual({ x: 0, y: 0 });
    expect(doc.undo()).toBe(true); // the add
    expect(doc.get().nodes).toHaveLength(0);
    expect(doc.undo()).toBe(false);
    doc.redo();
    doc.redo();
    expect(doc.get().nodes[0].position).toEqual({ x: 60, y: 5 });
  });

  it('a drop at the start position adds no history step', () => {
    const { doc } = setup();
    const l = doc.addNode('log', { x: 0, y: 0 });
    doc.moveNodes([{ id: l, position: { x: 0, y: 0 } }], 'end');
    doc.undo();
    expect(doc.get().nodes).toHaveLength(0);
  });

  it('typing in one field coalesces into one step; another field starts a new one', () => {
    const { doc } = setup();
    const l = doc.addNode('log', { x: 0, y: 0 });
    for (const v of ['h', 'he', 'hel', 'hello']) doc.setNodeSetting(l, 'message', v);
    doc.setNodeSetting(l, 'level', 'warn');
    doc.undo();
    expect(doc.get().nodes[0].settings).toMatchObject({ message: 'hello', level: 'info' });
    doc.undo();
    expect(doc.get().nodes[0].settings.message).toBe('log point');
    expect(doc.store.getState().canRedo).toBe(true);
  });

  it('a new edit after undo clears redo', () => {
    const { doc } = setup();
    doc.addNode('log', { x: 0, y: 0 });
    doc.undo();
    expect(doc.store.getState().canRedo).toBe(true);
    doc.addNode('respond', { x: 0, y: 0 });
    expect(doc.store.getState().canRedo).toBe(false);
    expect(doc.redo()).toBe(false);
  });

  it('undo and redo emit history events carrying the restored flow', () => {
    const { doc, events } = setup();
    doc.addNode('log', { x: 0, y: 0 });
    doc.undo();
    doc.redo();
    const h = events.filter((e) => e.type.startsWith('history.'));
    expect(h.map((e) => e.type)).toEqual(['history.undo', 'history.redo']);
    expect((h[1] as any).flow.nodes).toHaveLength(1);
  });

  it('markSaved is not an edit: no history, dirty cleared only for the saved version', () => {
    const { doc } = setup();
    doc.addNode('log', { x: 0, y: 0 });
    const v = doc.store.getState().version;
    doc.addNode('log', { x: 0, y: 0 });
    doc.markSaved(v, { revision: 7, updatedAt: 'now' });
    expect(isDirty(doc.store.getState())).toBe(true);
    expect(doc.get().revision).toBe(7);
    doc.markSaved(doc.store.getState().version, { revision: 8 });
    expect(isDirty(doc.store.getState())).toBe(false);
    doc.undo();
    expect(doc.get().nodes).toHaveLength(1);
  });
});
