/**
 * Where an edge's label (the item count of the last run) goes, so that it stays readable: never under a node
 * card, never over a card's handles or badges, never cut off.
 *
 * The label is centred on the edge's path, as near to the path's middle as there is room. When the whole label
 * fits nowhere along the path it is shortened to the bare number; when even that fits nowhere (two cards side by
 * side with a short wire between them) it is hidden, and the canvas shows it above the cards while the edge is
 * hovered or selected (see LabeledEdge.tsx). Pure geometry in flow coordinates: no DOM, no React.
 */

export interface Point {
  x: number;
  y: number;
}
export interface Size {
  width: number;
  height: number;
}
export interface Rect extends Point, Size {}

export type LabelMode = 'full' | 'compact' | 'hidden';
/** The label's centre and how much of it is shown there. */
export interface LabelPlacement extends Point {
  mode: LabelMode;
}

/**
 * Room kept free around every card: its handles stick out 11 px to the left and right (canvas.css, `.hl-handle`),
 * its badges 7 px above it, and a selected card has a 3 px ring.
 */
export const NODE_CLEARANCE = { x: 12, y: 8 } as const;

/** Label metrics (canvas.css `.hl-edge-label`: 10.5 px bold, 6 px padding and 1 px border per side). */
const PAD_X = 7;
const FULL_HEIGHT = 18;
const COMPACT_HEIGHT = 16;
/** Wider than any character of "0123456789 items" at 10.5 px bold in the usual UI fonts. */
const CHAR_WIDTH = 7;
/** Distance between candidate centres along the path. */
const STEP = 4;

/** A text's width when the browser cannot tell: generous, so the text never overflows its label. */
export const estimateTextWidth = (text: string) => text.length * CHAR_WIDTH;

/**
 * The size the label is drawn at (its element gets exactly this width and height). `textWidth` is the text's
 * width as drawn (LabeledEdge measures it in the browser); 1 px is added for rounding.
 */
export function labelSize(text: string, compact = false, textWidth: (text: string) => number = estimateTextWidth): Size {
  return { width: Math.ceil(textWidth(text)) + 1 + 2 * PAD_X, height: compact ? COMPACT_HEIGHT : FULL_HEIGHT };
}

/** "1 item" / "3 items", and the bare number for a short edge. */
export function countLabel(count: number): { text: string; short: string } {
  return { text: `${count} item${count === 1 ? '' : 's'}`, short: String(count) };
}

/**
 * The least space between two cards side by side that shows an edge's label in full between them: both cards'
 * clearance and the label of a run with up to 9,999 items. Auto-layout keeps its columns this far apart.
 */
export const LAYOUT_COLUMN_GAP = 2 * NODE_CLEARANCE.x + labelSize(countLabel(9999).text).width;

/**
 * The corners of an SVG path made of straight lines and quadratic corners (what xyflow's getSmoothStepPath and
 * getStraightPath draw): every coordinate pair in order. A rounded corner contributes its start, its control
 * point (the sharp corner) and its end, all on the two straight runs, so the polyline through them is the path
 * with sharp corners.
 */
export function pathVertices(path: string): Point[] {
  const nums = path.match(/-?\d*\.?\d+(?:e[-+]?\d+)?/gi)?.map(Number) ?? [];
  const out: Point[] = [];
  for (let i = 0; i + 1 < nums.length; i += 2) {
    const p = { x: nums[i], y: nums[i + 1] };
    const last = out[out.length - 1];
    if (!last || last.x !== p.x || last.y !== p.y) out.push(p);
  }
  return out;
}

export function intersects(a: Rect, b: Rect): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

function boxAt(c: Point, s: Size): Rect {
  return { x: c.x - s.width / 2, y: c.y - s.height / 2, width: s.width, height: s.height };
}

function inflate(r: Rect, dx: number, dy: number): Rect {
  return { x: r.x - dx, y: r.y - dy, width: r.width + 2 * dx, height: r.height + 2 * dy };
}

/** Points every STEP px along the polyline (and its corners), nearest to `from` first. */
function candidates(points: Point[], from: Point): Point[] {
  const out: Point[] = [from];
  for (let i = 1; i < points.length; i++) {
    const a = points[i - 1];
    const b = points[i];
    const len = Math.hypot(b.x - a.x, b.y - a.y);
    const n = Math.max(1, Math.ceil(len / STEP));
    for (let k = 0; k <= n; k++) out.push({ x: a.x + ((b.x - a.x) * k) / n, y: a.y + ((b.y - a.y) * k) / n });
  }
  const d = (p: Point) => (p.x - from.x) ** 2 + (p.y - from.y) ** 2;
  return out.sort((p, q) => d(p) - d(q));
}

export interface PlaceLabelInput {
  /** The edge's path as corner points (pathVertices). */
  points: Point[];
  /** Where the label goes when there is room: the path's middle (xyflow's labelX / labelY). */
  preferred: Point;
  /** Size of the whole label and of its short form (labelSize). */
  full: Size;
  compact: Size;
  /** The cards on the canvas (position and measured size); cards without a size yet are ignored. */
  nodes: readonly Rect[];
}

/**
 * The placement nearest to the path's middle where the label covers no card (cards grown by NODE_CLEARANCE):
 * the whole label if it fits somewhere along the path, else the short form, else hidden (at the middle).
 */
export function placeEdgeLabel({ points, preferred, full, compact, nodes }: PlaceLabelInput): LabelPlacement {
  const path = points.length ? points : [preferred];
  // Only cards near the path can be in the way.
  const xs = path.map((p) => p.x);
  const ys = path.map((p) => p.y);
  const reach = { x: Math.min(...xs) - full.width, y: Math.min(...ys) - full.height, width: Math.max(...xs) - Math.min(...xs) + 2 * full.width, height: Math.max(...ys) - Math.min(...ys) + 2 * full.height };
  const near = nodes.filter((r) => r.width > 0 && r.height > 0).map((r) => inflate(r, NODE_CLEARANCE.x, NODE_CLEARANCE.y)).filter((r) => intersects(r, reach));
  const spots = candidates(path, preferred);
  for (const [mode, size] of [['full', full], ['compact', compact]] as const) {
    const spot = spots.find((c) => {
      const box = boxAt(c, size);
      return !near.some((r) => intersects(box, r));
    });
    if (spot) return { mode, x: spot.x, y: spot.y };
  }
  return { mode: 'hidden', x: preferred.x, y: preferred.y };
}
