import type { FlowNode } from '../../core/model/flow';
import { LAYOUT_COLUMN_GAP } from '../canvas/edge-label';

type XY = { x: number; y: number };

/** A card's footprint on the canvas, with a margin: a node closer than this to another overlaps it. */
const CARD = { w: 240, h: 96 };
/** Cards are this wide (canvas.css `.hl-node`). */
const CARD_WIDTH = 220;
/**
 * How far apart click-added nodes go: a column to the right, as far as auto-layout puts them (the edge between
 * them shows its whole item count), on the 16 px grid; or a row down.
 */
export const COLUMN = Math.ceil((CARD_WIDTH + LAYOUT_COLUMN_GAP) / 16) * 16;
const ROW = 128;

/**
 * Where a node added by a click goes: right of `after` (n8n's "add after the selected node"), moved down a row
 * at a time while another node is in the way; without `after`, right of the right-most node; on an empty canvas,
 * `empty` (the view's top left).
 */
export function clickAddPosition(nodes: ReadonlyArray<Pick<FlowNode, 'id' | 'position'>>, after: Pick<FlowNode, 'position'> | undefined, empty: XY): XY {
  if (!nodes.length) return empty;
  let at: XY;
  if (after) at = { x: after.position.x + COLUMN, y: after.position.y };
  else {
    const right = nodes.reduce((m, n) => (n.position.x > m.position.x ? n : m));
    at = { x: right.position.x + COLUMN, y: right.position.y };
  }
  // Bounded: one more row than there are nodes always finds a free one.
  for (let i = 0; i <= nodes.length && nodes.some((n) => Math.abs(n.position.x - at.x) < CARD.w && Math.abs(n.position.y - at.y) < CARD.h); i++) at = { x: at.x, y: at.y + ROW };
  return at;
}
