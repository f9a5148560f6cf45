import { createStore } from 'zustand/vanilla';
import type { ConnectionInfo, EnvironmentChange, EnvironmentsState, FlowSummary, HostApi, RuntimeInfo, SecretInfo } from '../../core/host/api';
import { isBundle } from '../../core/model/bundle';
import { FORMAT_VERSION, flowSchema, type Flow } from '../../core/model/flow';
import type { Problem } from '../../core/model/problems';
import { zodProblems } from '../../core/model/zod-problems';
import { createDocumentStore, isDirty, type DocumentStore } from './document-store';
import type { LiveStore } from './live-store';

export type SaveStatus = 'saved' | 'dirty' | 'saving' | 'error';

export interface WorkspaceState {
  ready: boolean;
  flows: FlowSummary[];
  current: { id: string; doc: DocumentStore } | null;
  problems: Problem[];
  saveStatus: SaveStatus;
  saveError?: string;
  runtime?: RuntimeInfo;
  secrets: SecretInfo[];
  /** Saved connections (with the secret names they miss), for the Connections page and the node picker. */
  connections: ConnectionInfo[];
  /** The environments and the active one, for the Environments page and the top bar's selector (null: not loaded). */
  environments: EnvironmentsState | null;
  busy: boolean;
}

export interface WorkspaceActions {
  init(): Promise<void>;
  refreshFlows(): Promise<void>;
  openFlow(id: string): Promise<void>;
  createFlow(name?: string, from?: Partial<Flow>): Promise<string>;
  duplicateFlow(id: string): Promise<string>;
  /** Deletes and returns a function that restores the flow (the toast's Undo). */
  deleteFlow(id: string): Promise<() => Promise<void>>;
  renameFlow(id: string, name: string): Promise<void>;
  saveNow(): Promise<void>;
  deploy(): Promise<{ ok: boolean; problems: Problem[] }>;
  undeploy(): Promise<void>;
  /** `bundle`: the file is a bundle, which Import bundle takes. */
  importFlow(json: string): Promise<{ ok: true; id: string } | { ok: false; problems: Problem[]; bundle?: boolean }>;
  refreshSecrets(): Promise<void>;
  refreshConnections(): Promise<void>;
  refreshEnvironments(): Promise<void>;
  /** Takes the state an environment change returned (so the page and the selector agree) and returns the change. */
  environmentChanged(change: EnvironmentChange): EnvironmentChange;
  refreshDeployments(): Promise<void>;
}

export type Workspace = ReturnType<typeof createWorkspace>;

export const AUTOSAVE_MS = 500;

export function newFlowId(): string {
  return `flow-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
}

export function blankFlow(id: string, name: string): Flow {
  return flowSchema.parse({ formatVersion: FORMAT_VERSION, id, name, nodes: [], edges: [] });
}

/**
 * The workspace ties the host to the stores: which flow is open, autosave (debounced, never overlapping,
 * and a save only clears "dirty" when nothing changed meanwhile), deploy and the flow list.
 */
export function createWorkspace(host: HostApi, live: LiveStore, opts: { autosaveMs?: number } = {}) {
  const delay = opts.autosaveMs ?? AUTOSAVE_MS;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let saving: Promise<void> | null = null;
  let unsubDoc: (() => void) | undefined;
  let initRun: Promise<void> | undefined;

  const ws = createStore<WorkspaceState & WorkspaceActions>((set, get) => {
    async function doSave(): Promise<void> {
      const cur = get().current;
      if (!cur) return;
      const state = cur.doc.store.getState();
      if (!isDirty(state)) return;
      const version = state.version;
      set({ saveStatus: 'saving' });
      try {
        const { flow, problems } = await host.saveFlow(state.flow);
        if (get().current?.doc !== cur.doc) return;
        cur.doc.markSaved(version, flow);
        set({ problems, saveStatus: isDirty(cur.doc.store.getState()) ? 'dirty' : 'saved', saveError: undefined });
        void get().refreshFlows();
      } catch (e: any) {
        set({ saveStatus: 'error', saveError: e?.message ?? String(e) });
      }
    }

    async function seedLastRun(flowId: string) {
      try {
        const page = await host.listExecutions({ flowId, limit: 1 });
        const latest = page.items[0] && (await host.getExecution(page.items[0].id));
        if (latest) live.getState().seedFromExecution(latest);
      } catch {}
    }

    function scheduleSave() {
      clearTimeout(timer);
      timer = setTimeout(() => void get().saveNow(), delay);
    }

    function attach(flow: Flow) {
      unsubDoc?.();
      clearTimeout(timer);
      const doc = createDocumentStore(flow);
      unsubDoc = doc.onEvent((e) => {
        if (e.type === 'doc.saved' || e.type === 'flow.loaded') return;
        set({ saveStatus: 'dirty' });
        scheduleSave();
      });
      set({ current: { id: flow.id, doc }, saveStatus: 'saved', saveError: undefined });
      try {
        localStorage.setItem('hookline.lastFlow', flow.id);
      } catch {}
    }

    async function initOnce(): Promise<void> {
      const [runtime] = await Promise.all([host.getRuntimeInfo().catch(() => undefined), get().refreshFlows(), get().refreshSecrets(), get().refreshDeployments(), get().refreshConnections(), get().refreshEnvironments()]);
      set({ runtime });
      let last: string | null = null;
      try {
        last = localStorage.getItem('hookline.lastFlow');
      } catch {}
      const flows = get().flows;
      const pick = flows.find((f) => f.id === last) ?? flows[0];
      if (pick) await get().openFlow(pick.id);
      else await get().createFlow('My first flow');
      set({ ready: true });
    }

    return {
      ready: false,
      flows: [],
      current: null,
      problems: [],
      saveStatus: 'saved',
      runtime: undefined,
      secrets: [],
      connections: [],
      environments: null,
      busy: false,
      init() {
        // Once per workspace: start-app.tsx starts it before the first render, the app shell awaits the same run.
        // A failed run is forgotten, so a later call tries again.
        return (initRun ??= initOnce().catch((e) => {
          initRun = undefined;
          throw e;
        }));
      },
      async refreshFlows() {
        const flows = await host.listFlows();
        set({ flows: [...flows].sort((a, b) => a.name.localeCompare(b.name)) });
      },
      async openFlow(id) {
        if (get().current?.id === id) return;
        await get().saveNow();
        const flow = await host.getFlow(id);
        attach(flow);
        // Problems and last-run marks arrive after the canvas is interactive.
        void host
          .validateFlow(flow)
          .then((problems) => get().current?.id === flow.id && set({ problems }))
          .catch(() => {});
        void seedLastRun(flow.id);
      },
      async createFlow(name = 'Untitled flow', from) {
        await get().saveNow();
        const id = from?.id ?? newFlowId();
        const { flow, problems } = await host.saveFlow({ ...blankFlow(id, name), ...from, id, name });
        await get().refreshFlows();
        attach(flow);
        set({ problems });
        return id;
      },
      async duplicateFlow(id) {
        await get().saveNow();
        const src = await host.getFlow(id);
        return get().createFlow(`${src.name} (copy)`, { ...src, id: newFlowId(), revision: 1 });
      },
      async deleteFlow(id) {
        const flow = get().current?.id === id ? get().current!.doc.get() : await host.getFlow(id);
        // Deleting a live flow takes its endpoints offline; Undo brings them back, not only the drawing.
        const wasLive = (await host.listDeployments().catch(() => [])).some((d) => d.flowId === id);
        if (get().current?.id === id) {
          clearTimeout(timer);
          unsubDoc?.();
          set({ current: null, problems: [] });
        }
        await host.deleteFlow(id);
        await get().refreshFlows();
        const next = get().flows[0];
        if (!get().current && next) await get().openFlow(next.id);
        return async () => {
          await host.saveFlow(flow);
          if (wasLive) await host.deploy(flow.id);
          await Promise.all([get().refreshFlows(), get().refreshDeployments()]);
          await get().openFlow(flow.id);
        };
      },
      async renameFlow(id, name) {
        const cur = get().current;
        if (cur?.id === id) {
          cur.doc.renameFlow(name);
          return get().saveNow();
        }
        const flow = await host.getFlow(id);
        await host.saveFlow({ ...flow, name });
        await get().refreshFlows();
      },
      async saveNow() {
        clearTimeout(timer);
        // Saves never overlap: a save requested during one runs after it, with the newest document.
        while (saving) await saving;
        saving = doSave().finally(() => (saving = null));
        await saving;
      },
      async deploy() {
        const cur = get().current;
        if (!cur) return { ok: false, problems: [] };
        await get().saveNow();
        set({ busy: true });
        try {
          const r = await host.deploy(cur.id);
          if (!r.ok) set({ problems: r.problems });
          await get().refreshDeployments();
          await get().refreshFlows();
          return { ok: r.ok, problems: r.problems };
        } catch (e: any) {
          // Transports throw ProblemsError-like errors for refused deploys; plain errors become one problem.
          const problems: Problem[] = Array.isArray(e?.problems) ? e.problems : [{ path: '', code: 'invalid_value', message: e?.message ?? String(e) }];
          set({ problems });
          return { ok: false, problems };
        } finally {
          set({ busy: false });
        }
      },
      async undeploy() {
        const cur = get().current;
        if (!cur) return;
        set({ busy: true });
        try {
          await host.undeploy(cur.id);
          await get().refreshDeployments();
          await get().refreshFlows();
        } finally {
          set({ busy: false });
        }
      },
      async importFlow(json) {
        let raw: unknown;
        try {
          raw = JSON.parse(json);
        } catch (e: any) {
          return { ok: false, problems: [{ path: '', code: 'invalid_value', message: `not valid JSON: ${e?.message ?? e}` }] };
        }
        // A bundle fails the flow schema on every field; say what it is and where it goes instead.
        if (isBundle(raw)) return { ok: false, bundle: true, problems: [{ path: '', code: 'format_version', message: 'this file is a bundle (flows, connections, environments): use Import bundle' }] };
        const parsed = flowSchema.safeParse(raw);
        if (!parsed.success) return { ok: false, problems: zodProblems(parsed.error) };
        const taken = get().flows.some((f) => f.id === parsed.data.id);
        const id = taken ? newFlowId() : parsed.data.id;
        await get().createFlow(parsed.data.name, { ...parsed.data, id });
        return { ok: true, id };
      },
      async refreshSecrets() {
        set({ secrets: await host.listSecrets().catch(() => []) });
      },
      async refreshConnections() {
        set({ connections: await host.listConnections().catch(() => get().connections) });
      },
      async refreshEnvironments() {
        set({ environments: await host.getEnvironments().catch(() => get().environments) });
      },
      environmentChanged(change) {
        set({ environments: change.state });
        // Redeployed flows run a new deployment of the same revision: the live view follows it.
        if (change.redeployed.length) void get().refreshDeployments();
        return change;
      },
      async refreshDeployments() {
        live.getState().setDeployments(await host.listDeployments().catch(() => []));
      },
    };
  });
  return ws;
}
