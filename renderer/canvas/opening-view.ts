/**
 * Where the canvas looks when a flow opens. All of the flow when it fits at a readable zoom (up to 100 %);
 * otherwise its start at that zoom (the leftmost nodes, where flows begin with their triggers), with the rest a pan
 * or the minimap away. Fitting a six-node row into a laptop's canvas took 40 % zoom: 5 px titles nobody can read
 * (Node-RED opens at 100 %, n8n fits).
 */
export interface Viewport {
  x: number;
  y: number;
  zoom: number;
}

/** Node titles are 13 px: below this zoom they turn unreadable. */
export const READABLE_ZOOM = 0.75;
/** Card size for the layout before the cards are measured (their CSS width; a typical height). */
const CARD = { width: 220, height: 72 };
/** Room around the flow, as a share of the canvas (fitted) or in px (the start of a long flow). */
const PADDING = 0.15;
const MARGIN = 48;

export function openingViewport(positions: Array<{ x: number; y: number }>, width: number, height: number): Viewport {
  if (!positions.length || width <= 0 || height <= 0) return { x: 0, y: 0, zoom: 1 };
  const minX = Math.min(...positions.map((p) => p.x));
  const minY = Math.min(...positions.map((p) => p.y));
  const w = Math.max(...positions.map((p) => p.x)) + CARD.width - minX;
  const h = Math.max(...positions.map((p) => p.y)) + CARD.height - minY;
  const fit = Math.min(1, width / (w * (1 + 2 * PADDING)), height / (h * (1 + 2 * PADDING)));
  if (fit >= READABLE_ZOOM) return { zoom: fit, x: (width - w * fit) / 2 - minX * fit, y: (height - h * fit) / 2 - minY * fit };
  const zoom = READABLE_ZOOM;
  // Centred vertically when the flow is low enough, else from its top; from its left edge either way.
  const y = h * zoom <= height - 2 * MARGIN ? (height - h * zoom) / 2 - minY * zoom : MARGIN - minY * zoom;
  return { zoom, x: MARGIN - minX * zoom, y };
}
