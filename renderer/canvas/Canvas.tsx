import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState, type DragEvent, type PointerEvent } from 'react';
import {
  Controls,
  MiniMap,
  ReactFlow,
  applyNodeChanges,
  useReactFlow,
  useUpdateNodeInternals,
  type Connection as RfConnection,
  type Edge,
  type EdgeChange,
  type NodeChange,
  type OnMove,
  type OnNodeDrag,
} from '@xyflow/react';
import { useApp, useCurrentDoc, useFlow, useLive, useView, useWorkspace } from '../app-context';
import { checkConnection } from '../state/graph-rules';
import { CanvasBackground } from './CanvasBackground';
import { revealShift } from './reveal';
import { FlowNodeCard, noteSize, type CardNode } from './FlowNodeCard';
import { FindNode } from './FindNode';
import { countLabel } from './edge-label';
import { LabeledEdge, onEdgeHover } from './LabeledEdge';
import { nodeView } from './node-view';
import { openingViewport, type Viewport } from './opening-view';
import { useCanvasShortcuts } from './use-shortcuts';

const nodeTypes = { card: FlowNodeCard };
const edgeTypes = { labeled: LabeledEdge };
export const NODE_MIME = 'application/hookline-node';
const GRID: [number, number] = [16, 16];
// Object props of ReactFlow are module constants: xyflow copies a prop that changed into its store on every
// render of the canvas (a new defaultEdgeOptions object re-renders every edge).
/** Canvas height (px) below which the minimap is hidden (see roomForMinimap). */
const MINIMAP_MIN_CANVAS_HEIGHT = 600;
const PRO_OPTIONS = { hideAttribution: true };
const DEFAULT_EDGE_OPTIONS = { type: 'smoothstep' };
const MULTI_SELECTION_KEYS = ['Meta', 'Control'];
const minimapColor = (n: CardNode) => `var(--cat-${n.data.view.category}, var(--cat-utility))`;
const MOVING = 'is-moving';

/**
 * A drag that starts on the empty pane pans the viewport; capturing the pointer on the pane lets Chromium
 * skip hit-testing every card and edge under the cursor on each mouse move of the pan (the events go to the
 * pane anyway). Drags that start on a node, handle or edge are left alone.
 */
function capturePanePointer(e: PointerEvent<HTMLDivElement>) {
  const t = e.target as Element;
  if (e.pointerType !== 'touch' && e.button === 0 && t.classList.contains('react-flow__pane')) t.setPointerCapture(e.pointerId);
}

export function Canvas() {
  const { view } = useApp();
  const doc = useCurrentDoc();
  const flow = useFlow();
  const rf = useReactFlow();
  const selection = useView((s) => s.selection);
  const problems = useWorkspace((s) => s.problems);
  const deployed = useLive((s) => !!s.deployments[flow.id]);
  const lastRun = useLive((s) => s.lastRun[flow.id]);
  const counts = useLive((s) => s.edgeCounts[flow.id]);
  const ran = useLive((s) => s.lastRun[flow.id]);
  const [nodes, setNodes] = useState<CardNode[]>([]);
  const dragging = useRef(false);
  const canvasRef = useRef<HTMLDivElement>(null);
  // Where the view opens (see opening-view.ts), from the canvas's size: measured before the first paint, so the
  // flow never shows at another zoom first. On an empty canvas it stays at 100 % (the first drop must stay put).
  const [opening, setOpening] = useState<Viewport | null>(null);
  useLayoutEffect(() => {
    const el = canvasRef.current;
    setOpening(el ? openingViewport(flow.nodes.map((n) => n.position), el.clientWidth, el.clientHeight) : { x: 0, y: 0, zoom: 1 });
    // Once, for the flow as it opens (the canvas is keyed by flow).
  }, []);

  // Per node: its errors, and its warnings (a deploy still goes ahead), shown apart on the card.
  const problemCount = useMemo(() => {
    const m = new Map<string, { errors: number; warnings: number }>();
    for (const p of problems) {
      if (!p.nodeId) continue;
      const c = m.get(p.nodeId) ?? { errors: 0, warnings: 0 };
      if (p.severity === 'warning') c.warnings++;
      else c.errors++;
      m.set(p.nodeId, c);
    }
    return m;
  }, [problems]);

  const inspected = useView((s) => s.inspectedNode);
  const findOpen = useView((s) => s.findOpen);

  // The document is the source of truth; local node state only adds what xyflow measures and the
  // positions of an in-progress drag (ticks are not written to the document).
  useEffect(() => {
    const sel = new Set(selection.nodes);
    setNodes((prev) => {
      const old = new Map(prev.map((n) => [n.id, n]));
      return flow.nodes.map((n): CardNode => {
        const o = old.get(n.id);
        return {
          id: n.id,
          type: 'card',
          ...noteSize(n),
          position: dragging.current && o?.dragging ? o.position : n.position,
          selected: sel.has(n.id),
          measured: o?.measured,
          dragging: o?.dragging,
          data: { node: n, view: nodeView(n), problems: problemCount.get(n.id)?.errors ?? 0, warnings: problemCount.get(n.id)?.warnings ?? 0, deployed, run: lastRun?.[n.id], pinned: flow.pinned?.[n.id] !== undefined, inspected: n.id === inspected },
        };
      });
    });
  }, [flow.nodes, flow.pinned, selection.nodes, problemCount, deployed, lastRun, inspected]);

  // xyflow draws an edge only once both of its nodes and their handles are measured. Should a measurement be lost
  // in a render race at start-up (nodes handed over again while their first measurement was in flight), the edges
  // would never appear; so shortly after the node set changes, any node still without handle bounds is measured again.
  const updateNodeInternals = useUpdateNodeInternals();
  const nodeIds = useMemo(() => flow.nodes.map((n) => n.id).join('\n'), [flow.nodes]);
  useEffect(() => {
    const check = () => {
      const missing = flow.nodes.map((n) => n.id).filter((id) => !rf.getInternalNode(id)?.internals.handleBounds);
      if (missing.length) updateNodeInternals(missing);
    };
    const timers = [100, 400, 1200].map((ms) => setTimeout(check, ms));
    return () => timers.forEach(clearTimeout);
  }, [nodeIds]);

  // Edges with an item count are drawn by LabeledEdge, which keeps the label off the cards; the others stay
  // xyflow's built-in smooth-step edges.
  const edges = useMemo((): Edge[] => {
    const sel = new Set(selection.edges);
    return flow.edges.map((e) => {
      // Only on an edge the run went along: one drawn after the run leads to a node that did not run.
      const count = ran?.[e.target] ? counts?.[`${e.source}:${e.sourcePort}`] : undefined;
      const label = count ? countLabel(count) : undefined;
      return {
        id: e.id,
        source: e.source,
        sourceHandle: e.sourcePort,
        target: e.target,
        targetHandle: e.targetPort,
        selected: sel.has(e.id),
        type: label ? 'labeled' : 'smoothstep',
        className: `${e.sourcePort === 'error' ? 'edge-error' : ''}${count ? ' edge-ran' : ''}`,
        data: label ? { testid: `edge-${e.id}`, label: label.text, short: label.short } : { testid: `edge-${e.id}` },
      };
    });
  }, [flow.edges, selection.edges, counts, ran]);

  const onNodesChange = useCallback(
    (changes: NodeChange<CardNode>[]) => {
      setNodes((ns) => applyNodeChanges(changes, ns));
      const selects = changes.filter((c) => c.type === 'select');
      if (selects.length) {
        const cur = new Set(view.getState().selection.nodes);
        for (const c of selects) {
          if (c.type !== 'select') continue;
          if (c.selected) cur.add(c.id);
          else cur.delete(c.id);
        }
        view.getState().select({ nodes: [...cur] });
      }
    },
    [view],
  );

  const onEdgesChange = useCallback(
    (changes: EdgeChange[]) => {
      const cur = new Set(view.getState().selection.edges);
      let touched = false;
      for (const c of changes) if (c.type === 'select') {
        touched = true;
        if (c.selected) cur.add(c.id);
        else cur.delete(c.id);
      }
      if (touched) view.getState().select({ edges: [...cur] });
    },
    [view],
  );

  const onNodeDragStart: OnNodeDrag<CardNode> = useCallback(() => {
    dragging.current = true;
  }, []);
  const onNodeDragStop: OnNodeDrag<CardNode> = useCallback(
    (_e, _node, dragged) => {
      dragging.current = false;
      doc?.moveNodes(dragged.map((n) => ({ id: n.id, position: n.position })), 'end');
    },
    [doc],
  );

  const toConn = (c: RfConnection | Edge) => ({ source: c.source, target: c.target, sourcePort: c.sourceHandle ?? 'out', targetPort: c.targetHandle ?? 'in' });

  const isValidConnection = useCallback((c: RfConnection | Edge) => checkConnection(flow, toConn(c), 'id' in c ? c.id : undefined).ok, [flow]);

  const onConnect = useCallback(
    (c: RfConnection) => {
      const r = doc?.connect(toConn(c));
      if (r && !r.ok) view.getState().showToast(r.reason);
    },
    [doc, view],
  );

  const onReconnect = useCallback(
    (old: Edge, c: RfConnection) => {
      const r = doc?.reconnect(old.id, toConn(c));
      if (r && !r.ok) view.getState().showToast(r.reason);
    },
    [doc, view],
  );

  const onDragOver = useCallback((e: DragEvent) => {
    if (e.dataTransfer.types.includes(NODE_MIME)) {
      e.preventDefault();
      e.dataTransfer.dropEffect = 'copy';
    }
  }, []);

  const onDrop = useCallback(
    (e: DragEvent) => {
      const type = e.dataTransfer.getData(NODE_MIME);
      if (!type || !doc) return;
      e.preventDefault();
      const p = rf.screenToFlowPosition({ x: e.clientX, y: e.clientY });
      const id = doc.addNode(type, { x: Math.round((p.x - 110) / 16) * 16, y: Math.round((p.y - 30) / 16) * 16 });
      view.getState().select({ nodes: [id], edges: [] });
    },
    [doc, rf, view],
  );

  // While the viewport moves (pan, zoom, animated fit) it is a compositor layer of its own (see canvas.css), so a
  // frame only moves that layer instead of repainting every card; at rest the cards are painted as before.
  // Set on the first actual move, not on pointer down, so a plain click on the pane costs no re-layering.
  const onMove: OnMove = useCallback(() => {
    const el = canvasRef.current;
    if (el && !el.classList.contains(MOVING)) el.classList.add(MOVING);
  }, []);
  const onMoveEnd: OnMove = useCallback(
    (_e, vp) => {
      canvasRef.current?.classList.remove(MOVING);
      view.getState().setViewport(vp);
    },
    [view],
  );

  useCanvasShortcuts(nodes);

  // The minimap (about 200 x 150 px in the bottom-right corner) would cover the right-most cards of a canvas made
  // short by the executions panel: it shows only on a canvas tall enough to leave room beside it.
  const [roomForMinimap, setRoomForMinimap] = useState(true);
  useEffect(() => {
    const el = canvasRef.current;
    if (!el || typeof ResizeObserver === 'undefined') return;
    const check = () => setRoomForMinimap(el.clientHeight >= MINIMAP_MIN_CANVAS_HEIGHT);
    const ro = new ResizeObserver(check);
    ro.observe(el);
    check();
    return () => ro.disconnect();
  }, []);

  // The docked inspector must never hide what it edits: bring a selected node that ended up under it (or off
  // screen: added by a click, picked from the problems panel) back into view, keeping the zoom. A node partly out
  // of view is scrolled in just far enough, so the nodes around it stay where they were; one far away is centred.
  const wide = useView((s) => s.inspectorWide);
  // So is the node of the step open in the executions panel, when that step changes.
  const single = selection.nodes.length === 1 ? selection.nodes[0] : null;
  const reveal = (id: string | null) => {
    if (!id) return;
    const t = setTimeout(() => {
      const el = document.querySelector(`[data-testid="node-${CSS.escape(id)}"]`);
      const pane = document.querySelector('.hl-canvas');
      if (!el || !pane) return;
      const shift = revealShift(el.getBoundingClientRect(), pane.getBoundingClientRect());
      if (!shift) return;
      const vp = rf.getViewport();
      void rf.setViewport({ x: vp.x + shift.x, y: vp.y + shift.y, zoom: vp.zoom }, { duration: 250 });
    }, 80);
    return () => clearTimeout(t);
  };
  useEffect(() => reveal(single), [single, wide, rf]);
  useEffect(() => reveal(inspected), [inspected, rf]);

  return (
    <div ref={canvasRef} className="hl-canvas" data-testid="canvas" onDragOver={onDragOver} onDrop={onDrop} onPointerDown={capturePanePointer}>
      {opening && (
        <ReactFlow<CardNode>
          nodes={nodes}
          edges={edges}
          nodeTypes={nodeTypes}
          edgeTypes={edgeTypes}
          onEdgeMouseEnter={onEdgeHover.enter}
          onEdgeMouseLeave={onEdgeHover.leave}
          onNodesChange={onNodesChange}
          onEdgesChange={onEdgesChange}
          onNodeDragStart={onNodeDragStart}
          onNodeDragStop={onNodeDragStop}
          onConnect={onConnect}
          onReconnect={onReconnect}
          isValidConnection={isValidConnection}
          onMove={onMove}
          onMoveEnd={onMoveEnd}
          deleteKeyCode={null}
          selectionKeyCode="Shift"
          multiSelectionKeyCode={MULTI_SELECTION_KEYS}
          snapToGrid
          snapGrid={GRID}
          defaultViewport={opening}
          minZoom={0.2}
          maxZoom={2}
          proOptions={PRO_OPTIONS}
          defaultEdgeOptions={DEFAULT_EDGE_OPTIONS}
        >
          <CanvasBackground gap={16} size={1} />
          {flow.nodes.length > 0 && roomForMinimap && <MiniMap pannable zoomable className="hl-minimap" nodeBorderRadius={6} nodeColor={minimapColor} />}
          <Controls showInteractive={false} className="hl-controls" />
        </ReactFlow>
      )}
      {findOpen && <FindNode />}
      {flow.nodes.length === 0 && (
        <div className="hl-empty" data-testid="canvas-empty">
          <div className="hl-empty-title">Start with a trigger</div>
          <div className="hl-empty-text">Drag a <b>Webhook</b> from the palette, or click it to add. Press <kbd>?</kbd> for shortcuts.</div>
        </div>
      )}
    </div>
  );
}
