import { createContext, useContext, type ReactNode } from 'react';
import { useStore } from 'zustand';
import type { StoreApi } from 'zustand/vanilla';
import type { HostApi } from '../core/host/api';
import type { Flow } from '../core/model/flow';
import type { DocState, DocumentStore } from './state/document-store';
import type { LiveStore } from './state/live-store';
import type { ViewStore } from './state/view-store';
import type { Workspace } from './state/workspace';

export interface AppStores {
  host: HostApi;
  workspace: Workspace;
  view: ViewStore;
  live: LiveStore;
}

const Ctx = createContext<AppStores | null>(null);

export function AppProvider({ stores, children }: { stores: AppStores; children: ReactNode }) {
  return <Ctx.Provider value={stores}>{children}</Ctx.Provider>;
}

export function useApp(): AppStores {
  const s = useContext(Ctx);
  if (!s) throw new Error('AppProvider missing');
  return s;
}

type Sel<S, T> = (s: S) => T;
export const useWorkspace = <T,>(sel: Sel<ReturnType<Workspace['getState']>, T>) => useStore(useApp().workspace, sel);
export const useView = <T,>(sel: Sel<ReturnType<ViewStore['getState']>, T>) => useStore(useApp().view, sel);
export const useLive = <T,>(sel: Sel<ReturnType<LiveStore['getState']>, T>) => useStore(useApp().live, sel);

/** The open flow's document store (null while none is open). */
export function useCurrentDoc(): DocumentStore | null {
  return useWorkspace((s) => s.current?.doc ?? null);
}

const emptyStore: StoreApi<DocState> = {
  getState: () => EMPTY,
  getInitialState: () => EMPTY,
  setState: () => {},
  subscribe: () => () => {},
};
const EMPTY: DocState = {
  flow: { formatVersion: 1, id: '', name: '', revision: 0, nodes: [], edges: [], settings: { diagnostics: 'full', retention: { maxCount: 1, maxAgeDays: 1 }, allowCycles: false } },
  version: 0,
  savedVersion: 0,
  canUndo: false,
  canRedo: false,
};

/** Reads from the open document with a narrow selector; stable when no flow is open. */
export function useDoc<T>(sel: (s: DocState) => T): T {
  const doc = useCurrentDoc();
  return useStore(doc?.store ?? emptyStore, sel);
}
export const useFlow = (): Flow => useDoc((s) => s.flow);
