import { createStore } from 'zustand/vanilla';
import type { TestResponse } from '../../core/host/api';

export type BottomTab = 'executions' | 'test';
export type ThemePref = 'system' | 'light' | 'dark';
/** What the centre shows: the open flow's canvas or a settings page (connections, environments, event subscriptions). */
export type MainPage = 'canvas' | 'connections' | 'environments' | 'subscriptions';

/**
 * The Test request panel's last exchange of a flow: kept in the store, not the panel, so switching to Executions and
 * back (which unmounts the panel) keeps it, and an answer that arrives meanwhile still lands, as in Postman.
 */
export interface TestResult {
  sending: boolean;
  sentAt: string;
  receivedAt?: string;
  value?: TestResponse;
  error?: string;
}

/** The Test request panel's request as the user edited it, per flow (kept across tab and flow switches). */
export interface TestDraft {
  method: string;
  path: string;
  headers: string;
  body: string;
}

export interface Selection {
  nodes: string[];
  edges: string[];
}

/** View state: what the user looks at, never part of the flow document and never in undo history. */
export interface ViewState {
  selection: Selection;
  /** Field to scroll to and focus in the inspector (set by the problems panel). */
  focusField: { nodeId: string; key: string } | null;
  viewport: { x: number; y: number; zoom: number };
  sidebarOpen: boolean;
  inspectorOpen: boolean;
  /** Inspector widened for a code field: data tree | editor | preview side by side (canvas still visible). */
  inspectorWide: boolean;
  bottomOpen: boolean;
  bottomTab: BottomTab;
  problemsOpen: boolean;
  cheatSheetOpen: boolean;
  /** The canvas's Find a node box (Ctrl/⌘ F). */
  findOpen: boolean;
  theme: ThemePref;
  systemDark: boolean;
  /** API-key values generated in this session, by secret name: shown once, used in the cURL command, never saved. */
  revealed: Record<string, string>;
  page: MainPage;
  /** Execution the executions panel should open (after "Run with sample"). */
  openExecution: string | null;
  /** The node of the step open in the executions panel: outlined on the canvas and brought into view. */
  inspectedNode: string | null;
  /** Connection to open in the Connections page (set by the inspector's picker). */
  editConnection: string | null;
  toast: { id: number; text: string; action?: { label: string; run: () => void } } | null;
  testDrafts: Record<string, TestDraft>;
  testResults: Record<string, TestResult>;
}

export interface ViewActions {
  select(selection: Partial<Selection>): void;
  focusProblem(nodeId: string, key: string): void;
  clearFocus(): void;
  setViewport(v: ViewState['viewport']): void;
  toggle(panel: 'sidebarOpen' | 'inspectorOpen' | 'inspectorWide' | 'bottomOpen' | 'problemsOpen' | 'cheatSheetOpen' | 'findOpen', open?: boolean): void;
  showBottom(tab: BottomTab): void;
  setTheme(theme: ThemePref): void;
  setSystemDark(dark: boolean): void;
  reveal(secretName: string, value: string): void;
  setPage(page: MainPage, editConnection?: string | null): void;
  showExecution(id: string | null): void;
  inspectNode(nodeId: string | null): void;
  showToast(text: string, action?: { label: string; run: () => void }): void;
  dismissToast(): void;
  /** Sets (or with null forgets) the Test request draft of a flow. */
  setTestDraft(flowId: string, draft: TestDraft | null): void;
  /** Records the Test request panel's exchange of a flow (see TestResult). */
  setTestResult(flowId: string, result: TestResult): void;
}

const same = (a: string[], b: string[]) => a.length === b.length && a.every((x, i) => x === b[i]);

export const resolvedTheme = (s: Pick<ViewState, 'theme' | 'systemDark'>): 'light' | 'dark' =>
  s.theme === 'system' ? (s.systemDark ? 'dark' : 'light') : s.theme;

export function createViewStore(init: Partial<ViewState> = {}) {
  let toastSeq = 0;
  return createStore<ViewState & ViewActions>((set, get) => ({
    selection: { nodes: [], edges: [] },
    focusField: null,
    viewport: { x: 0, y: 0, zoom: 1 },
    sidebarOpen: true,
    inspectorOpen: true,
    inspectorWide: false,
    bottomOpen: false,
    bottomTab: 'executions',
    problemsOpen: false,
    cheatSheetOpen: false,
    findOpen: false,
    theme: 'system',
    systemDark: false,
    revealed: {},
    page: 'canvas',
    openExecution: null,
    inspectedNode: null,
    editConnection: null,
    toast: null,
    testDrafts: {},
    testResults: {},
    ...init,
    select(sel) {
      const cur = get().selection;
      const next = { nodes: [...(sel.nodes ?? cur.nodes)].sort(), edges: [...(sel.edges ?? cur.edges)].sort() };
      // Equal selections are dropped so the canvas <-> store sync cannot ping-pong.
      if (same(cur.nodes, next.nodes) && same(cur.edges, next.edges)) return;
      set({ selection: next });
    },
    focusProblem(nodeId, key) {
      set({ selection: { nodes: nodeId ? [nodeId] : [], edges: [] }, focusField: { nodeId, key }, inspectorOpen: true });
    },
    clearFocus: () => set({ focusField: null }),
    setViewport: (viewport) => set({ viewport }),
    toggle: (panel, open) => set({ [panel]: open ?? !get()[panel] } as Partial<ViewState>),
    showBottom: (tab) => set({ bottomOpen: true, bottomTab: tab }),
    setTheme: (theme) => set({ theme }),
    setSystemDark: (systemDark) => set({ systemDark }),
    reveal: (name, value) => set({ revealed: { ...get().revealed, [name]: value } }),
    setPage: (page, editConnection = null) => set({ page, editConnection }),
    inspectNode: (nodeId) => set({ inspectedNode: nodeId }),
    showExecution: (id) => set(id ? { openExecution: id, bottomOpen: true, bottomTab: 'executions' } : { openExecution: null }),
    showToast: (text, action) => set({ toast: { id: ++toastSeq, text, action } }),
    dismissToast: () => set({ toast: null }),
    setTestResult(flowId, result) {
      set({ testResults: { ...get().testResults, [flowId]: result } });
    },
    setTestDraft(flowId, draft) {
      const { [flowId]: _old, ...rest } = get().testDrafts;
      set({ testDrafts: draft ? { ...rest, [flowId]: draft } : rest });
    },
  }));
}
export type ViewStore = ReturnType<typeof createViewStore>;
