import type { Flow, FlowEdge, FlowNode, FlowSettings, OnError } from '../../core/model/flow';

/**
 * Every change to a flow document is one of these events. Local edits, undo/redo and loading all go
 * through the same apply path and emit them, so listeners (autosave, canvas, tests) see one stream.
 */
export type DocEvent =
  | { type: 'flow.loaded'; flow: Flow }
  | { type: 'flow.renamed'; from: string; to: string }
  | { type: 'flow.settingsChanged'; settings: FlowSettings }
  | { type: 'flow.sampleChanged'; sample: unknown }
  | { type: 'flow.pinnedChanged'; nodeId: string; data: unknown }
  | { type: 'node.added'; node: FlowNode }
  | { type: 'node.removed'; node: FlowNode }
  | { type: 'node.moved'; id: string; position: { x: number; y: number }; transient: boolean }
  | { type: 'node.settingsChanged'; id: string; path: string; value: unknown }
  | { type: 'node.renamed'; id: string; name: string | undefined }
  | { type: 'node.notesChanged'; id: string; notes: string | undefined }
  | { type: 'node.onErrorChanged'; id: string; onError: OnError }
  | { type: 'node.disabledChanged'; id: string; disabled: boolean }
  | { type: 'edge.added'; edge: FlowEdge }
  | { type: 'edge.removed'; edge: FlowEdge }
  | { type: 'history.undo'; label: string; flow: Flow }
  | { type: 'history.redo'; label: string; flow: Flow }
  | { type: 'doc.saved'; revision: number };

export type DocEventType = DocEvent['type'];

/**
 * How an update enters undo history (Excalidraw's policy, stated per intent):
 * - `immediately`: one undo step of its own;
 * - `never`: not undoable (drag ticks, loading, save bookkeeping);
 * - `eventually`: merged with the previous step when it has the same coalesce key (typing in one field).
 */
export type HistoryPolicy = { kind: 'immediately' } | { kind: 'never' } | { kind: 'eventually'; key: string };

export interface HistoryEntry {
  label: string;
  before: Flow;
  after: Flow;
  coalesceKey?: string;
}
