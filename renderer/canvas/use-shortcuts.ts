import { useEffect } from 'react';
import { useReactFlow } from '@xyflow/react';
import type { FlowEdge, FlowNode } from '../../core/model/flow';
import { useApp, useCurrentDoc } from '../app-context';
import type { CardNode } from './FlowNodeCard';
import { clickAdd } from './click-add';
import { parseClipboardNodes, pasteOffset } from './clipboard';

/**
 * In-app clipboard. The system clipboard gets the same JSON, so nodes can be pasted into a text file, another
 * studio or a chat, and pasted back from there (see clipboard.ts); the in-app copy serves when the system
 * clipboard could not be written.
 */
let clipboard: { nodes: FlowNode[]; edges: FlowEdge[] } | null = null;
let clipboardInSystem = false;

export const SHORTCUTS: ReadonlyArray<[string, string]> = [
  ['Ctrl/⌘ Z', 'Undo'],
  ['Ctrl/⌘ Shift Z · Ctrl Y', 'Redo'],
  ['Delete · Backspace', 'Delete selection'],
  ['Ctrl/⌘ C / V', 'Copy / paste nodes (also as JSON from another studio or a file)'],
  ['Ctrl/⌘ D', 'Duplicate selection'],
  ['Ctrl/⌘ A', 'Select all'],
  ['Ctrl/⌘ S', 'Save now'],
  ['Ctrl/⌘ F', 'Find a node by name, type, URL or notes'],
  ['Shift L', 'Auto-layout'],
  ['F · 1', 'Fit view'],
  ['0 · + · −', 'Zoom to 100 % · in · out'],
  ['Tab', 'Search nodes to add (Enter adds the first match after the selected node)'],
  ['Shift S', 'Add a sticky note'],
  ['F2', 'Rename the selected node'],
  ['D', 'Disable / enable the selected nodes'],
  ['Shift + drag', 'Box select'],
  ['Ctrl/⌘ + click', 'Add to selection'],
  ['Ctrl/⌘ B', 'Toggle sidebar'],
  ['Ctrl/⌘ J', 'Toggle bottom panel'],
  ['?', 'This cheat sheet'],
];

/** Keyboard focus on the canvas or nowhere in particular (Tab elsewhere moves focus, as it should). */
function onCanvas(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  return !el || el === document.body || !!el.closest?.('.react-flow');
}

/** Focuses (and selects the text of) an element that may only be rendered on the next frame. */
function focusSoon(selector: string) {
  requestAnimationFrame(() => {
    const el = document.querySelector<HTMLInputElement>(selector);
    el?.focus();
    el?.select?.();
  });
}

function inEditable(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  if (!el) return false;
  // `.hl-code-field`: a template or expression field, also while its editor loads (see EditorLoading).
  return el.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName) || !!el.closest?.('.monaco-editor, .hl-code-field');
}

export function useCanvasShortcuts(nodes: CardNode[]) {
  const { view, workspace } = useApp();
  const doc = useCurrentDoc();
  const rf = useReactFlow();

  useEffect(() => {
    if (!doc) return;
    const selected = () => view.getState().selection;
    const copy = () => {
      const f = doc.get();
      const ids = new Set(selected().nodes);
      if (!ids.size) return false;
      clipboard = { nodes: f.nodes.filter((n) => ids.has(n.id)), edges: f.edges.filter((e) => ids.has(e.source) && ids.has(e.target)) };
      clipboardInSystem = false;
      const copied = clipboard;
      navigator.clipboard
        ?.writeText(JSON.stringify(copied, null, 2))
        .then(() => (clipboardInSystem = clipboard === copied))
        .catch(() => {});
      return true;
    };
    const paste = (what = clipboard) => {
      if (!what) return;
      const vp = view.getState().viewport;
      const pane = document.querySelector('.hl-canvas');
      const seen = { x: -vp.x / vp.zoom, y: -vp.y / vp.zoom, width: (pane?.clientWidth ?? 800) / vp.zoom, height: (pane?.clientHeight ?? 600) / vp.zoom };
      const ids = doc.paste(what.nodes, what.edges, pasteOffset(what.nodes, seen));
      view.getState().select({ nodes: ids, edges: [] });
    };
    // Pasting goes through the paste event, which carries the system clipboard's text without a permission prompt.
    const onPaste = (e: ClipboardEvent) => {
      if (inEditable(e.target) || inEditable(document.activeElement)) return;
      const text = e.clipboardData?.getData('text/plain') ?? '';
      const parsed = parseClipboardNodes(text);
      if (parsed && !parsed.ok) {
        e.preventDefault();
        view.getState().showToast(`Cannot paste these nodes: ${parsed.reason}`);
        return;
      }
      const what = parsed ?? (clipboardInSystem ? null : clipboard);
      if (!what) return;
      e.preventDefault();
      paste(what);
    };
    const onKey = (e: KeyboardEvent) => {
      if (inEditable(e.target)) return;
      const mod = e.ctrlKey || e.metaKey;
      const k = e.key.toLowerCase();
      const stop = () => {
        e.preventDefault();
        e.stopPropagation();
      };
      if (mod && k === 'z') {
        stop();
        if (e.shiftKey) doc.redo();
        else doc.undo();
      } else if (mod && k === 'y') {
        stop();
        doc.redo();
      } else if (!mod && (e.key === 'Delete' || e.key === 'Backspace')) {
        const s = selected();
        if (s.nodes.length || s.edges.length) {
          stop();
          doc.removeElements(s.nodes, s.edges);
          view.getState().select({ nodes: [], edges: [] });
        }
      } else if (mod && k === 'c') {
        if (copy()) stop();
      } else if (mod && k === 'd') {
        stop();
        if (copy()) paste();
      } else if (mod && k === 'a') {
        stop();
        view.getState().select({ nodes: doc.get().nodes.map((n) => n.id), edges: doc.get().edges.map((x) => x.id) });
      } else if (mod && k === 'f') {
        stop();
        view.getState().toggle('findOpen', true);
      } else if (mod && k === 's') {
        stop();
        void workspace.getState().saveNow();
      } else if (mod && k === 'b') {
        stop();
        view.getState().toggle('sidebarOpen');
      } else if (mod && k === 'j') {
        stop();
        view.getState().toggle('bottomOpen');
      } else if (!mod && e.shiftKey && k === 'l') {
        stop();
        runLayout();
      } else if (!mod && !e.shiftKey && k === 'd') {
        // As n8n: any enabled node among the selection disables them all; all disabled enables them.
        const ids = selected().nodes;
        if (!ids.length) return;
        stop();
        const chosen = doc.get().nodes.filter((n) => ids.includes(n.id));
        doc.setDisabled(ids, chosen.some((n) => !n.disabled));
      } else if (!mod && !e.altKey && (e.key === '0' || e.key === '+' || e.key === '=' || e.key === '-')) {
        // n8n's zoom keys: 0 resets to 100 %, + and - zoom in and out.
        stop();
        if (e.key === '0') void rf.zoomTo(1, { duration: 200 });
        else if (e.key === '-') void rf.zoomOut({ duration: 200 });
        else void rf.zoomIn({ duration: 200 });
      } else if (!mod && !e.shiftKey && (k === 'f' || e.key === '1')) {
        stop();
        void rf.fitView({ padding: 0.3, maxZoom: 1, duration: 200 });
      } else if (e.key === 'Tab' && !mod && !e.shiftKey && !e.altKey && onCanvas(e.target)) {
        // n8n's Tab opens its node panel; here it goes to the node search (the sidebar opens for it).
        stop();
        view.getState().toggle('sidebarOpen', true);
        focusSoon('[data-testid="palette-search"]');
      } else if (!mod && e.shiftKey && k === 's') {
        stop();
        clickAdd(doc, view, 'note');
      } else if (e.key === 'F2' && selected().nodes.length === 1) {
        stop();
        view.getState().toggle('inspectorOpen', true);
        focusSoon('[data-testid="inspector-name"]');
      } else if (e.key === '?') {
        stop();
        view.getState().toggle('cheatSheetOpen');
      } else if (e.key === 'Escape') {
        view.getState().toggle('cheatSheetOpen', false);
        view.getState().toggle('findOpen', false);
      }
    };
    const runLayout = () => {
      const size = (id: string) => {
        const m = nodes.find((n) => n.id === id)?.measured;
        return { width: m?.width ?? 220, height: m?.height ?? 80 };
      };
      // dagre is loaded on the first layout only: it is not needed to open the studio.
      void import('./auto-layout').then(({ autoLayout }) => {
        doc.layout(autoLayout(doc.get(), size));
        setTimeout(() => void rf.fitView({ padding: 0.3, maxZoom: 1, duration: 200 }), 50);
      });
    };
    const onLayout = () => runLayout();
    window.addEventListener('keydown', onKey);
    window.addEventListener('paste', onPaste);
    window.addEventListener('hookline:layout', onLayout);
    return () => {
      window.removeEventListener('keydown', onKey);
      window.removeEventListener('paste', onPaste);
      window.removeEventListener('hookline:layout', onLayout);
    };
  }, [doc, view, workspace, rf, nodes]);
}
