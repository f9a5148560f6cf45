import { useStore } from 'zustand';
import { createStore } from 'zustand/vanilla';
import { useShallow } from 'zustand/react/shallow';

/**
 * Text typed into a field that cannot become a value yet (invalid JSON in "Body schema"). It is not in the
 * flow document, so autosave and deploy never see it; keeping it here lets the box show it again after
 * switching nodes (or reloading the tab), and lets the top bar and Deploy say that the field is not saved
 * instead of claiming everything is fine.
 */
export interface FieldDraft {
  flowId: string;
  nodeId: string;
  /** Settings key of the field (`bodySchema`). */
  key: string;
  /** The field's label from the node spec. */
  label: string;
  text: string;
  /** Why the text is not a value: "not valid JSON: ...". */
  error: string;
}

interface DraftState {
  drafts: Record<string, FieldDraft>;
  set(d: FieldDraft): void;
  clear(id: string): void;
}

const STORAGE_KEY = 'hookline.fieldDrafts';

export const draftId = (flowId: string, nodeId: string, key: string) => `${flowId}\u0000${nodeId}\u0000${key}`;

export function createFieldDrafts(storage: Pick<Storage, 'getItem' | 'setItem'> | undefined = safeSessionStorage()) {
  let initial: Record<string, FieldDraft> = {};
  try {
    initial = JSON.parse(storage?.getItem(STORAGE_KEY) ?? '{}') ?? {};
  } catch {}
  const store = createStore<DraftState>((set, get) => ({
    drafts: initial,
    set: (d) => set({ drafts: { ...get().drafts, [draftId(d.flowId, d.nodeId, d.key)]: d } }),
    clear: (id) => {
      if (!(id in get().drafts)) return;
      const { [id]: _gone, ...rest } = get().drafts;
      set({ drafts: rest });
    },
  }));
  store.subscribe((s) => {
    try {
      storage?.setItem(STORAGE_KEY, JSON.stringify(s.drafts));
    } catch {}
  });
  return store;
}

function safeSessionStorage(): Storage | undefined {
  try {
    return typeof sessionStorage === 'undefined' ? undefined : sessionStorage;
  } catch {
    return undefined;
  }
}

export type FieldDrafts = ReturnType<typeof createFieldDrafts>;

/** The studio's one set of drafts (per browser tab). */
export const fieldDrafts = createFieldDrafts();

/** Drafts of a flow whose node still exists, in node order. */
export function pendingDrafts(drafts: Record<string, FieldDraft>, flow: { id: string; nodes: ReadonlyArray<{ id: string }> }): FieldDraft[] {
  const order = new Map(flow.nodes.map((n, i) => [n.id, i]));
  return Object.values(drafts)
    .filter((d) => d.flowId === flow.id && order.has(d.nodeId))
    .sort((a, b) => order.get(a.nodeId)! - order.get(b.nodeId)! || a.key.localeCompare(b.key));
}

/** "Body schema: not valid JSON – not saved" (or "2 fields not valid – not saved"); null when none. */
export function draftSummary(drafts: readonly FieldDraft[]): string | null {
  if (!drafts.length) return null;
  if (drafts.length > 1) return `${drafts.length} fields not valid – not saved`;
  const d = drafts[0];
  return `${shortLabel(d.label)}: ${d.error.replace(/:.*$/, '')} – not saved`;
}

/** "Body schema (JSON Schema)" -> "Body schema": the note in brackets is for the form, not for a status line. */
const shortLabel = (label: string) => label.replace(/\s*\([^)]*\)$/, '') || label;

/** Why Deploy is refused while drafts exist: the fields by name. */
export function draftDeployRefusal(drafts: readonly FieldDraft[]): string | null {
  if (!drafts.length) return null;
  return `Deploy refused: ${drafts.map((d) => shortLabel(d.label)).join(', ')} ${drafts.length > 1 ? 'are' : 'is'} not valid and not saved. Fix or clear ${drafts.length > 1 ? 'them' : 'it'} first.`;
}

export function useFieldDraft(id: string, store: FieldDrafts = fieldDrafts): FieldDraft | undefined {
  return useStore(store, (s) => s.drafts[id]);
}

export function usePendingDrafts(flow: { id: string; nodes: ReadonlyArray<{ id: string }> }, store: FieldDrafts = fieldDrafts): FieldDraft[] {
  return useStore(store, useShallow((s) => pendingDrafts(s.drafts, flow)));
}
