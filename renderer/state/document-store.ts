import { createStore, type StoreApi } from 'zustand/vanilla';
import type { Flow, FlowEdge, FlowNode, FlowSettings, OnError } from '../../core/model/flow';
import { findSpec } from '../../core/nodes/catalogue';
import type { DocEvent, HistoryEntry, HistoryPolicy } from './doc-events';
import { checkConnection, type ConnectCheck, type Connection } from './graph-rules';
import { plural } from '../plural';

type XY = { x: number; y: number };

export interface DocState {
  flow: Flow;
  /** Bumped on every document change; autosave compares it to know whether a save is still current. */
  version: number;
  savedVersion: number;
  canUndo: boolean;
  canRedo: boolean;
}

export interface DocumentStore {
  store: StoreApi<DocState>;
  get(): Flow;
  onEvent(cb: (e: DocEvent) => void): () => void;
  /** `after`: also connect that node's port to the new one, in the same undo step (when the rules allow it). */
  addNode(type: string, position: XY, init?: { settings?: Record<string, unknown>; name?: string; after?: { source: string; sourcePort?: string } }): string;
  removeElements(nodeIds: readonly string[], edgeIds?: readonly string[]): void;
  /** `tick` moves are shown but not history; `end` (the drop) is one undo step from where the drag began. */
  moveNodes(moves: ReadonlyArray<{ id: string; position: XY }>, phase: 'tick' | 'end'): void;
  setNodeSetting(id: string, path: string, value: unknown): void;
  /** Replaces all settings of a node (Import from cURL) in one undo step. */
  replaceNodeSettings(id: string, settings: Record<string, unknown>): void;
  /** `final`: the name is committed (the field left): surrounding space is trimmed; while typing a trailing space stays. */
  renameNode(id: string, name: string, opts?: { final?: boolean }): void;
  /** A sticky note dragged to a new size (and, from its top or left edge, a new position): one undo step. */
  resizeNote(id: string, box: XY & { width: number; height: number }): void;
  /** A node's notes (n8n's Notes, Node-RED's Description); blank removes them. Typing is one undo step. */
  setNotes(id: string, notes: string): void;
  setOnError(id: string, onError: OnError): void;
  /** Disables or enables one node or several (the `D` shortcut) in one undo step. */
  setDisabled(ids: string | readonly string[], disabled: boolean): void;
  connect(c: Partial<Connection> & { source: string; target: string }): ConnectCheck & { edgeId?: string };
  reconnect(edgeId: string, c: Partial<Connection> & { source: string; target: string }): ConnectCheck;
  /** Inserts copies of nodes (and the edges between them) with fresh ids; returns the new node ids. */
  paste(nodes: readonly FlowNode[], edges: readonly FlowEdge[], offset: XY): string[];
  renameFlow(name: string): void;
  setFlowSettings(patch: Partial<FlowSettings>): void;
  setSample(sample: unknown): void;
  /** Pins the answer a node that calls out hands on in previews (`undefined` unpins it); one undo step. */
  setPinned(nodeId: string, data: unknown): void;
  /** Auto-layout: all moves in one undo step. */
  layout(positions: Record<string, XY>): void;
  undo(): boolean;
  redo(): boolean;
  /** Records a successful save of `version` (not history): revision from the host, dirty flag cleared. */
  markSaved(version: number, saved: Pick<Flow, 'revision' | 'updatedAt'>): void;
}

const HISTORY_LIMIT = 200;

/** `pinned` with a node's answer set or (undefined) removed; no map at all once it is empty. */
function withPin(pinned: Flow['pinned'], nodeId: string, data: unknown): Flow['pinned'] {
  const next = { ...pinned };
  if (data === undefined) delete next[nodeId];
  else next[nodeId] = data;
  return Object.keys(next).length ? next : undefined;
}

function setPath(obj: Record<string, unknown>, path: string, value: unknown): Record<string, unknown> {
  const [head, ...rest] = path.split('.');
  const copy = { ...obj };
  if (rest.length === 0) {
    if (value === undefined) delete copy[head];
    else copy[head] = value;
    return copy;
  }
  const child = copy[head];
  copy[head] = setPath(child && typeof child === 'object' && !Array.isArray(child) ? (child as Record<string, unknown>) : {}, rest.join('.'), value);
  return copy;
}

/** Default settings of a node type: whatever its schema fills in for an empty object. */
/** Template kind -> the Web Integration content type that sends its output. */
const KIND_CONTENT_TYPE: Record<string, string> = { json: 'application/json', xml: 'application/xml', text: 'text/plain' };

/**
 * Settings a node added right after another takes from it: a Web Integration after a Template sends what the
 * template rendered (`{{ data }}`) with the template's content type, as a designer would set it by hand.
 */
function followOn(from: FlowNode | undefined, type: string): Record<string, unknown> {
  if (type !== 'http-request' || from?.type !== 'template') return {};
  const kind = String((from.settings as { kind?: unknown }).kind ?? 'json');
  return { method: 'POST', contentType: KIND_CONTENT_TYPE[kind] ?? 'application/json', body: '{{ data }}' };
}

export function defaultSettings(type: string): Record<string, unknown> {
  const spec = findSpec(type);
  if (!spec) return {};
  const r = spec.settings.safeParse({});
  if (r.success) return r.data as Record<string, unknown>;
  // Required fields (a Web Integration's URL) must not hide the defaults of all the others: each field's own
  // default, read field by field (zod's .partial() throws on a schema with refinements, which some nodes' have).
  const shape = (spec.settings as unknown as { shape?: Record<string, { safeParse(v: unknown): { success: boolean; data?: unknown } }> }).shape ?? {};
  const out: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(shape)) {
    const f = field.safeParse(undefined);
    if (f.success && f.data !== undefined) out[key] = f.data;
  }
  return out;
}

function uniqueId(base: string, taken: Set<string>): string {
  const stem = base.replace(/[^A-Za-z0-9_.-]/g, '-').replace(/^[^A-Za-z0-9]+/, '') || 'node';
  for (let i = 1; ; i++) {
    const id = `${stem}-${i}`;
    if (!taken.has(id)) return id;
  }
}

/**
 * A document store per flow (xyflow's factory pattern). Public intent methods normalise input and call the
 * private `apply*` functions, which are the only writers; each write emits typed events and enters undo
 * history according to an explicit policy.
 *
 * @example
 * const doc = createDocumentStore(flow);
 * const id = doc.addNode('log', { x: 100, y: 0 });
 * doc.undo(); // the node is gone again
 */
export function createDocumentStore(initial: Flow): DocumentStore {
  const store = createStore<DocState>(() => ({ flow: initial, version: 0, savedVersion: 0, canUndo: false, canRedo: false }));
  const listeners = new Set<(e: DocEvent) => void>();
  const past: HistoryEntry[] = [];
  const future: HistoryEntry[] = [];
  let dragStart: Flow | null = null;

  const emit = (events: DocEvent[]) => events.forEach((e) => listeners.forEach((l) => l(e)));
  const flags = () => ({ canUndo: past.length > 0, canRedo: future.length > 0 });

  /** The single writer: replaces the document, records history per policy, emits events. */
  function apply(label: string, next: Flow, events: DocEvent[], policy: HistoryPolicy): void {
    const before = store.getState().flow;
    if (next === before) return;
    if (policy.kind !== 'never') {
      const top = past[past.length - 1];
      if (policy.kind === 'eventually' && top && top.coalesceKey === policy.key && future.length === 0) top.after = next;
      else {
        past.push({ label, before, after: next, coalesceKey: policy.kind === 'eventually' ? policy.key : undefined });
        if (past.length > HISTORY_LIMIT) past.shift();
      }
      future.length = 0;
    }
    store.setState((s) => ({ flow: next, version: s.version + 1, ...flags() }));
    emit(events);
  }

  const flow = () => store.getState().flow;
  const withNodes = (f: Flow, nodes: FlowNode[]): Flow => ({ ...f, nodes });
  const mapNode = (id: string, fn: (n: FlowNode) => FlowNode): Flow | null => {
    const f = flow();
    if (!f.nodes.some((n) => n.id === id)) return null;
    return withNodes(f, f.nodes.map((n) => (n.id === id ? fn(n) : n)));
  };

  function applyAddNodes(label: string, nodes: FlowNode[], edges: FlowEdge[]): void {
    const f = flow();
    apply(label, { ...f, nodes: [...f.nodes, ...nodes], edges: [...f.edges, ...edges] }, [
      ...nodes.map((node): DocEvent => ({ type: 'node.added', node })),
      ...edges.map((edge): DocEvent => ({ type: 'edge.added', edge })),
    ], { kind: 'immediately' });
  }

  function normaliseConnection(c: Partial<Connection> & { source: string; target: string }): Connection {
    return { source: c.source, target: c.target, sourcePort: c.sourcePort || 'out', targetPort: c.targetPort || 'in' };
  }

  const api: DocumentStore = {
    store,
    get: flow,
    onEvent(cb) {
      listeners.add(cb);
      return () => listeners.delete(cb);
    },
    addNode(type, position, init) {
      const spec = findSpec(type);
      const f = flow();
      const id = uniqueId(type, new Set(f.nodes.map((n) => n.id)));
      const node: FlowNode = {
        id,
        type,
        version: spec?.version ?? 1,
        position: { x: Math.round(position.x), y: Math.round(position.y) },
        settings: { ...defaultSettings(type), ...followOn(init?.after && f.nodes.find((n) => n.id === init.after!.source), type), ...(init?.settings ?? {}) },
        onError: 'stop',
        ...(init?.name ? { name: init.name } : {}),
      };
      const edges: FlowEdge[] = [];
      if (init?.after) {
        const c = normaliseConnection({ ...init.after, target: id });
        if (checkConnection({ ...f, nodes: [...f.nodes, node] }, c).ok) edges.push({ id: uniqueId(`e-${c.source}-${id}`, new Set(f.edges.map((e) => e.id))), ...c });
      }
      applyAddNodes(`Add ${spec?.title ?? type}`, [node], edges);
      return id;
    },
    removeElements(nodeIds, edgeIds = []) {
      const f = flow();
      const drop = new Set(nodeIds);
      const removedNodes = f.nodes.filter((n) => drop.has(n.id));
      const dropEdges = new Set(edgeIds);
      const removedEdges = f.edges.filter((e) => dropEdges.has(e.id) || drop.has(e.source) || drop.has(e.target));
      if (!removedNodes.length && !removedEdges.length) return;
      const goneEdges = new Set(removedEdges.map((e) => e.id));
      // A removed node's pinned answer goes with it (Undo brings both back).
      let pinned = f.pinned;
      for (const n of removedNodes) pinned = withPin(pinned, n.id, undefined);
      apply(
        removedNodes.length ? `Delete ${plural(removedNodes.length, 'node')}` : 'Delete connection',
        { ...f, nodes: f.nodes.filter((n) => !drop.has(n.id)), edges: f.edges.filter((e) => !goneEdges.has(e.id)), pinned },
        [...removedEdges.map((edge): DocEvent => ({ type: 'edge.removed', edge })), ...removedNodes.map((node): DocEvent => ({ type: 'node.removed', node }))],
        { kind: 'immediately' },
      );
    },
    moveNodes(moves, phase) {
      const f = flow();
      const at = new Map(moves.map((m) => [m.id, { x: Math.round(m.position.x), y: Math.round(m.position.y) }]));
      if (phase === 'tick' && !dragStart) dragStart = f;
      const next = withNodes(f, f.nodes.map((n) => (at.has(n.id) ? { ...n, position: at.get(n.id)! } : n)));
      const events = [...at].map(([id, position]): DocEvent => ({ type: 'node.moved', id, position, transient: phase === 'tick' }));
      if (phase === 'tick') return apply('Move', next, events, { kind: 'never' });
      // The drop: one history step from where the drag began (ticks were applied without history).
      const origin = dragStart ?? f;
      dragStart = null;
      const unchanged = origin.nodes.every((n) => !at.has(n.id) || (n.position.x === at.get(n.id)!.x && n.position.y === at.get(n.id)!.y));
      if (unchanged) return apply('Move', next, events, { kind: 'never' });
      past.push({ label: 'Move', before: origin, after: next });
      future.length = 0;
      store.setState((s) => ({ flow: next, version: s.version + 1, ...flags() }));
      emit(events);
    },
    setNodeSetting(id, path, value) {
      const next = mapNode(id, (n) => ({ ...n, settings: setPath(n.settings, path, value) }));
      if (next) apply(`Edit ${path}`, next, [{ type: 'node.settingsChanged', id, path, value }], { kind: 'eventually', key: `settings:${id}:${path}` });
    },
    replaceNodeSettings(id, settings) {
      const next = mapNode(id, (n) => ({ ...n, settings: structuredClone(settings) }));
      if (next) apply('Replace settings', next, [{ type: 'node.settingsChanged', id, path: '', value: settings }], { kind: 'immediately' });
    },
    resizeNote(id, box) {
      const position = { x: Math.round(box.x), y: Math.round(box.y) };
      const size = { width: Math.round(box.width), height: Math.round(box.height) };
      const next = mapNode(id, (n) => ({ ...n, position, settings: { ...n.settings, ...size } }));
      if (!next) return;
      const events: DocEvent[] = [{ type: 'node.moved', id, position, transient: false }, ...(['width', 'height'] as const).map((k): DocEvent => ({ type: 'node.settingsChanged', id, path: k, value: size[k] }))];
      apply('Resize note', next, events, { kind: 'immediately' });
    },
    renameNode(id, name, opts) {
      // While typing only leading space goes (a space typed between two words arrives last first); on commit both ends.
      const clean = (opts?.final ? name.trim() : name.replace(/^\s+/, '')) || undefined;
      const next = mapNode(id, (n) => {
        const { name: _old, ...rest } = n;
        return clean ? { ...rest, name: clean } : rest;
      });
      if (next) apply('Rename node', next, [{ type: 'node.renamed', id, name: clean }], { kind: 'eventually', key: `name:${id}` });
    },
    setNotes(id, notes) {
      const clean = notes.trim() ? notes : undefined;
      const next = mapNode(id, (n) => {
        const { notes: _old, ...rest } = n;
        return clean ? { ...rest, notes: clean } : rest;
      });
      if (next) apply('Edit notes', next, [{ type: 'node.notesChanged', id, notes: clean }], { kind: 'eventually', key: `notes:${id}` });
    },
    setOnError(id, onError) {
      const next = mapNode(id, (n) => ({ ...n, onError }));
      if (!next) return;
      // Turning off error routing drops wires from the error port, which would otherwise dangle.
      const dangling = onError === 'route' ? [] : next.edges.filter((e) => e.source === id && e.sourcePort === 'error');
      const edges = next.edges.filter((e) => !dangling.includes(e));
      apply('Change error handling', { ...next, edges }, [
        { type: 'node.onErrorChanged', id, onError },
        ...dangling.map((edge): DocEvent => ({ type: 'edge.removed', edge })),
      ], { kind: 'immediately' });
    },
    setDisabled(ids, disabled) {
      const f = flow();
      const changing = new Set((typeof ids === 'string' ? [ids] : ids).filter((id) => f.nodes.some((n) => n.id === id && !!n.disabled !== disabled)));
      if (!changing.size) return;
      const next = withNodes(f, f.nodes.map((n) => (changing.has(n.id) ? { ...n, disabled } : n)));
      const label = `${disabled ? 'Disable' : 'Enable'} ${changing.size === 1 ? 'node' : `${changing.size} nodes`}`;
      apply(label, next, [...changing].map((id): DocEvent => ({ type: 'node.disabledChanged', id, disabled })), { kind: 'immediately' });
    },
    connect(raw) {
      const c = normaliseConnection(raw);
      const f = flow();
      const check = checkConnection(f, c);
      if (!check.ok) return check;
      const edgeId = uniqueId(`e-${c.source}-${c.target}`, new Set(f.edges.map((e) => e.id)));
      const edge: FlowEdge = { id: edgeId, ...c };
      apply('Connect', { ...f, edges: [...f.edges, edge] }, [{ type: 'edge.added', edge }], { kind: 'immediately' });
      return { ok: true, edgeId };
    },
    reconnect(edgeId, raw) {
      const f = flow();
      const old = f.edges.find((e) => e.id === edgeId);
      if (!old) return { ok: false, reason: `connection ${edgeId} does not exist` };
      const c = normaliseConnection(raw);
      const check = checkConnection(f, c, edgeId);
      if (!check.ok) return check;
      const edge: FlowEdge = { id: edgeId, ...c };
      apply('Reconnect', { ...f, edges: f.edges.map((e) => (e.id === edgeId ? edge : e)) }, [
        { type: 'edge.removed', edge: old },
        { type: 'edge.added', edge },
      ], { kind: 'immediately' });
      return { ok: true };
    },
    paste(nodes, edges, offset) {
      const f = flow();
      const taken = new Set(f.nodes.map((n) => n.id));
      const rename = new Map<string, string>();
      const copies = nodes.map((n) => {
        const id = uniqueId(n.type, taken);
        taken.add(id);
        rename.set(n.id, id);
        return { ...structuredClone(n), id, position: { x: n.position.x + offset.x, y: n.position.y + offset.y } };
      });
      const takenEdges = new Set(f.edges.map((e) => e.id));
      const edgeCopies = edges
        .filter((e) => rename.has(e.source) && rename.has(e.target))
        .map((e) => {
          const id = uniqueId(`e-${rename.get(e.source)}-${rename.get(e.target)}`, takenEdges);
          takenEdges.add(id);
          return { ...e, id, source: rename.get(e.source)!, target: rename.get(e.target)! };
        });
      if (copies.length) applyAddNodes(`Paste ${plural(copies.length, 'node')}`, copies, edgeCopies);
      return copies.map((c) => c.id);
    },
    renameFlow(name) {
      const to = name.trim();
      const f = flow();
      if (!to || to === f.name) return;
      apply('Rename flow', { ...f, name: to }, [{ type: 'flow.renamed', from: f.name, to }], { kind: 'eventually', key: 'flow.name' });
    },
    setFlowSettings(patch) {
      const f = flow();
      const settings = { ...f.settings, ...patch };
      apply('Flow settings', { ...f, settings }, [{ type: 'flow.settingsChanged', settings }], { kind: 'immediately' });
    },
    setSample(sample) {
      const f = flow();
      apply('Pin sample', { ...f, sample }, [{ type: 'flow.sampleChanged', sample }], { kind: 'immediately' });
    },
    setPinned(nodeId, data) {
      const f = flow();
      apply(data === undefined ? 'Unpin answer' : 'Pin answer', { ...f, pinned: withPin(f.pinned, nodeId, data) }, [{ type: 'flow.pinnedChanged', nodeId, data }], { kind: 'immediately' });
    },
    layout(positions) {
      const f = flow();
      const next = withNodes(f, f.nodes.map((n) => (positions[n.id] ? { ...n, position: positions[n.id] } : n)));
      apply('Auto-layout', next, Object.entries(positions).map(([id, position]): DocEvent => ({ type: 'node.moved', id, position, transient: false })), { kind: 'immediately' });
    },
    undo() {
      const entry = past.pop();
      if (!entry) return false;
      future.push(entry);
      store.setState((s) => ({ flow: entry.before, version: s.version + 1, ...flags() }));
      emit([{ type: 'history.undo', label: entry.label, flow: entry.before }]);
      return true;
    },
    redo() {
      const entry = future.pop();
      if (!entry) return false;
      past.push(entry);
      store.setState((s) => ({ flow: entry.after, version: s.version + 1, ...flags() }));
      emit([{ type: 'history.redo', label: entry.label, flow: entry.after }]);
      return true;
    },
    markSaved(version, saved) {
      const s = store.getState();
      // Revision bookkeeping is not an edit: patch the current document and every history snapshot's
      // revision is left alone (the host bumps it on each save anyway).
      store.setState({
        flow: { ...s.flow, revision: saved.revision, updatedAt: saved.updatedAt },
        savedVersion: Math.max(s.savedVersion, version),
      });
      emit([{ type: 'doc.saved', revision: saved.revision }]);
    },
  };
  emit([{ type: 'flow.loaded', flow: initial }]);
  return api;
}

export const isDirty = (s: DocState) => s.version !== s.savedVersion;
