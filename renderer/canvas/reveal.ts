interface Box {
  left: number;
  right: number;
  top: number;
  bottom: number;
}

/** Space kept between a revealed node and the edge of the canvas. */
const MARGIN = 32;

/**
 * How to bring a node's box into the pane's box (both in screen pixels): nothing when it is inside; the
 * viewport shift that scrolls it in just far enough (plus a margin) when it overlaps the pane or is near
 * it; the shift that centres it when it is further than a pane away (picked from a list, not next to what is shown).
 */
export function revealShift(node: Box, pane: Box): { x: number; y: number } | undefined {
  if (node.left >= pane.left && node.right <= pane.right && node.top >= pane.top && node.bottom <= pane.bottom) return undefined;
  const w = pane.right - pane.left;
  const h = pane.bottom - pane.top;
  if (node.right < pane.left - w || node.left > pane.right + w || node.bottom < pane.top - h || node.top > pane.bottom + h) {
    return { x: (pane.left + pane.right - node.left - node.right) / 2, y: (pane.top + pane.bottom - node.top - node.bottom) / 2 };
  }
  // A node bigger than the pane shows its top left corner.
  const along = (lo: number, hi: number, from: number, to: number) => (lo < from || hi - lo > to - from ? from + MARGIN - lo : hi > to ? to - MARGIN - hi : 0);
  return { x: along(node.left, node.right, pane.left, pane.right), y: along(node.top, node.bottom, pane.top, pane.bottom) };
}
