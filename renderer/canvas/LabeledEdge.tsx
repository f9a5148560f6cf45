import { memo, useMemo, useSyncExternalStore } from 'react';
import { BaseEdge, EdgeLabelRenderer, getSmoothStepPath, Position, useNodes, useStore, type Edge, type EdgeProps } from '@xyflow/react';
import { estimateTextWidth, labelSize, pathVertices, placeEdgeLabel, type Rect } from './edge-label';

export type LabeledEdgeData = {
  /** The whole label ("3 items") and its short form for a short edge ("3"). */
  label: string;
  short: string;
};
export type LabeledEdgeType = Edge<LabeledEdgeData, 'labeled'>;

/**
 * The edge under the pointer. Canvas.tsx passes onEdgeHover to xyflow's onEdgeMouseEnter / onEdgeMouseLeave,
 * which cover the whole edge including its reconnect anchors at both ends (on a short edge that is most of it);
 * each labelled edge subscribes to whether it is the one, so a hover re-renders at most two edges.
 */
let hoveredEdge: string | null = null;
const hoverListeners = new Set<() => void>();
const subscribeHover = (cb: () => void) => {
  hoverListeners.add(cb);
  return () => void hoverListeners.delete(cb);
};
function setHoveredEdge(id: string | null) {
  if (hoveredEdge === id) return;
  hoveredEdge = id;
  for (const cb of hoverListeners) cb();
}
export const onEdgeHover = { enter: (_e: unknown, edge: Edge) => setHoveredEdge(edge.id), leave: () => setHoveredEdge(null) };

/**
 * A smooth-step edge (the same path as xyflow's built-in one) whose label is an HTML element placed where it
 * covers no card (edge-label.ts): shortened to the number on a short edge, or hidden when even that has no
 * room; a hidden or shortened label is shown whole, above the cards, while the edge is hovered or selected or
 * one of its two cards is selected.
 * Only edges with a label use this type, so the many unlabelled edges of a big flow cost nothing more.
 */
const textWidths = new Map<string, number>();
let measureCtx: CanvasRenderingContext2D | null | undefined;
/**
 * A label text's width as the browser draws it (the font of canvas.css `.hl-edge-label`), once per text; the
 * generous estimate where there is no canvas. A measured label fits closer cards than the estimate would allow.
 */
function textWidth(text: string): number {
  let w = textWidths.get(text);
  if (w !== undefined) return w;
  if (measureCtx === undefined) {
    measureCtx = document.createElement('canvas').getContext('2d');
    if (measureCtx) measureCtx.font = `600 10.5px ${getComputedStyle(document.body).fontFamily}`;
  }
  w = measureCtx ? measureCtx.measureText(text).width : estimateTextWidth(text);
  textWidths.set(text, w);
  return w;
}

function LabeledEdgeImpl(props: EdgeProps<LabeledEdgeType>) {
  const { id, source, target, sourceX, sourceY, targetX, targetY, sourcePosition = Position.Right, targetPosition = Position.Left, markerEnd, markerStart, style, interactionWidth, selected, data } = props;
  const [path, labelX, labelY] = getSmoothStepPath({ sourceX, sourceY, sourcePosition, targetX, targetY, targetPosition });
  const hover = useSyncExternalStore(subscribeHover, () => hoveredEdge === id);
  // Selecting one of the two linked cards also shows a label that has no room (a boolean: re-renders on change only).
  const endSelected = useStore((s) => !!(s.nodeLookup.get(source)?.selected || s.nodeLookup.get(target)?.selected));
  return (
    <>
      <BaseEdge id={id} path={path} style={style} markerEnd={markerEnd} markerStart={markerStart} interactionWidth={interactionWidth} />
      {data?.label && <EdgeLabel edgeId={id} text={data.label} short={data.short} path={path} x={labelX} y={labelY} raised={hover || !!selected || endSelected} />}
    </>
  );
}

function EdgeLabel({ edgeId, text, short, path, x, y, raised }: { edgeId: string; text: string; short: string; path: string; x: number; y: number; raised: boolean }) {
  // The cards in flow coordinates with their measured size (a new array when a card moves, resizes or is selected).
  const all = useNodes();
  const nodes = useMemo((): Rect[] => all.map((n) => ({ x: n.position.x, y: n.position.y, width: n.measured?.width ?? 0, height: n.measured?.height ?? 0 })), [all]);
  const full = useMemo(() => labelSize(text, false, textWidth), [text]);
  const compact = useMemo(() => labelSize(short, true, textWidth), [short]);
  const spot = useMemo(() => placeEdgeLabel({ points: pathVertices(path), preferred: { x, y }, full, compact, nodes }), [path, x, y, full, compact, nodes]);
  // A label without room is drawn whole over the cards only on demand (hover, selection), at the edge's middle.
  const lifted = spot.mode !== 'full' && raised;
  const whole = spot.mode === 'full' || lifted;
  const size = whole ? full : compact;
  const at = lifted ? { x, y } : spot;
  return (
    <EdgeLabelRenderer>
      <div
        className={`hl-edge-label mode-${spot.mode}${lifted ? ' is-raised' : ''}`}
        data-testid={`edge-label-${edgeId}`}
        data-mode={spot.mode}
        title={text}
        style={{ left: at.x - size.width / 2, top: at.y - size.height / 2, width: size.width, height: size.height }}
      >
        {whole ? text : short}
      </div>
    </EdgeLabelRenderer>
  );
}

export const LabeledEdge = memo(LabeledEdgeImpl);
