import { getSmoothStepPath, Position } from '@xyflow/react';
import { describe, expect, it } from 'vitest';
import { autoLayout } from '../../renderer/canvas/auto-layout';
import { countLabel, intersects, labelSize, LAYOUT_COLUMN_GAP, NODE_CLEARANCE, pathVertices, placeEdgeLabel, type LabelPlacement, type Rect } from '../../renderer/canvas/edge-label';

/** A card as the canvas draws it: 220 px wide; its one output and input handle 40 px below its top edge. */
const W = 220;
const H = 80;
const card = (x: number, y: number): Rect => ({ x, y, width: W, height: H });
const PORT_Y = 40;
const HANDLE_OUT = 6; // handle centres sit 6 px outside the card

/** Places the label of the edge from card a's output to card b's input, as LabeledEdge does. */
function place(a: Rect, b: Rect, count = 3, others: Rect[] = []): LabelPlacement & { path: string } {
  const [path, labelX, labelY] = getSmoothStepPath({
    sourceX: a.x + a.width + HANDLE_OUT,
    sourceY: a.y + PORT_Y,
    sourcePosition: Position.Right,
    targetX: b.x - HANDLE_OUT,
    targetY: b.y + PORT_Y,
    targetPosition: Position.Left,
  });
  const { text, short } = countLabel(count);
  return { ...placeEdgeLabel({ points: pathVertices(path), preferred: { x: labelX, y: labelY }, full: labelSize(text), compact: labelSize(short, true), nodes: [a, b, ...others] }), path };
}

/** The label's box where it is drawn (the short form in compact mode). */
function box(p: LabelPlacement, count = 3): Rect {
  const { text, short } = countLabel(count);
  const s = p.mode === 'compact' ? labelSize(short, true) : labelSize(text);
  return { x: p.x - s.width / 2, y: p.y - s.height / 2, width: s.width, height: s.height };
}

const grown = (r: Rect): Rect => ({ x: r.x - NODE_CLEARANCE.x, y: r.y - NODE_CLEARANCE.y, width: r.width + 2 * NODE_CLEARANCE.x, height: r.height + 2 * NODE_CLEARANCE.y });

/** The point of the polyline nearest to p is on it (within rounding). */
function onPath(path: string, p: { x: number; y: number }): boolean {
  const v = pathVertices(path);
  for (let i = 1; i < v.length; i++) {
    const [a, b] = [v[i - 1], v[i]];
    const len2 = (b.x - a.x) ** 2 + (b.y - a.y) ** 2 || 1;
    const t = Math.max(0, Math.min(1, ((p.x - a.x) * (b.x - a.x) + (p.y - a.y) * (b.y - a.y)) / len2));
    if (Math.hypot(a.x + t * (b.x - a.x) - p.x, a.y + t * (b.y - a.y) - p.y) < 0.01) return true;
  }
  return false;
}

describe('edge labels: texts and sizes', () => {
  it('says "1 item" / "n items", with the bare number as the short form', () => {
    expect(countLabel(1)).toEqual({ text: '1 item', short: '1' });
    expect(countLabel(12)).toEqual({ text: '12 items', short: '12' });
  });
  it('sizes grow with the text; the short form is smaller', () => {
    expect(labelSize('12 items').width).toBeGreaterThan(labelSize('1 item').width);
    expect(labelSize('12', true).width).toBeLessThan(labelSize('12 items').width);
    expect(labelSize('12', true).height).toBeLessThanOrEqual(labelSize('12 items').height);
  });
  it('takes the text width as the browser measures it, padded; else a generous estimate', () => {
    expect(labelSize('1 item', false, () => 32.4).width).toBe(33 + 1 + 14);
    expect(labelSize('1 item').width).toBeGreaterThan(labelSize('1 item', false, () => 32.4).width);
  });
});

describe('edge labels: the path as corner points', () => {
  it('reads the corners of a smooth-step path, from the source handle to the target handle', () => {
    const [path] = getSmoothStepPath({ sourceX: 0, sourceY: 0, sourcePosition: Position.Right, targetX: 200, targetY: 100, targetPosition: Position.Left });
    const v = pathVertices(path);
    expect(v[0]).toEqual({ x: 0, y: 0 });
    expect(v[v.length - 1]).toEqual({ x: 200, y: 100 });
    // Straight runs only: every step is horizontal or vertical.
    for (let i = 1; i < v.length; i++) expect(v[i].x === v[i - 1].x || v[i].y === v[i - 1].y).toBe(true);
    expect(v).toContainEqual({ x: 100, y: 0 }); // the rounded corner's sharp point
  });
  it('reads negative and fractional coordinates', () => {
    expect(pathVertices('M-10.5 4L 3,-2.25Q 4,-2.25 4,-1L4 8')).toEqual([
      { x: -10.5, y: 4 },
      { x: 3, y: -2.25 },
      { x: 4, y: -2.25 },
      { x: 4, y: -1 },
      { x: 4, y: 8 },
    ]);
  });
});

describe('edge labels: placement', () => {
  it('puts the whole label in the middle of a long edge', () => {
    const a = card(0, 0);
    const b = card(W + 160, 0);
    const p = place(a, b);
    expect(p.mode).toBe('full');
    expect(p.x).toBeCloseTo(W + 80);
    expect(p.y).toBeCloseTo(PORT_Y);
  });

  it('shows only the number on an edge too short for the whole label', () => {
    const p = place(card(0, 0), card(W + 48, 64));
    expect(p.mode).toBe('compact');
    for (const r of [card(0, 0), card(W + 48, 64)]) expect(intersects(box(p), grown(r))).toBe(false);
  });

  it('hides the label between two cards almost touching (the canvas shows it on hover or selection)', () => {
    expect(place(card(0, 0), card(W + 20, 0)).mode).toBe('hidden');
    expect(place(card(0, 0), card(W + 32, 48)).mode).toBe('hidden');
  });

  it('moves the label along the edge when a third card sits on its middle', () => {
    const a = card(0, 0);
    const b = card(W + 400, 0);
    const blocker = { x: W + 150, y: 10, width: 100, height: 60 };
    const p = place(a, b, 3, [blocker]);
    expect(p.mode).toBe('full');
    expect(Math.abs(p.x - (W + 200))).toBeGreaterThan(50);
    expect(onPath(p.path, p)).toBe(true);
    for (const r of [a, b, blocker]) expect(intersects(box(p), grown(r))).toBe(false);
  });

  it('keeps the label of an edge going back (target left of the source) off both cards', () => {
    const a = card(300, 0);
    const b = card(0, 40);
    const p = place(a, b);
    expect(p.mode).not.toBe('hidden');
    for (const r of [a, b]) expect(intersects(box(p), grown(r))).toBe(false);
  });

  it('never puts a shown label over a card or off the edge, wherever the two cards are', () => {
    let seed = 7;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const modes = new Set<string>();
    for (let i = 0; i < 400; i++) {
      const a = card(0, 0);
      const b = card(Math.round(rnd() * 800 - 300), Math.round(rnd() * 400 - 200));
      if (intersects(a, b)) continue;
      const count = 1 + Math.floor(rnd() * 2000);
      const p = place(a, b, count);
      modes.add(p.mode);
      if (p.mode === 'hidden') continue;
      expect(onPath(p.path, p)).toBe(true);
      for (const r of [a, b]) expect(intersects(box(p, count), grown(r))).toBe(false);
    }
    expect(modes).toEqual(new Set(['full', 'compact', 'hidden']));
  });
});

describe('auto-layout leaves room for edge labels', () => {
  it('keeps columns at least LAYOUT_COLUMN_GAP apart, so every label of a laid-out flow is shown whole', () => {
    const ids = ['hook', 'map', 'switch', 'a', 'b', 'c', 'respond'];
    const flow = {
      nodes: ids.map((id) => ({ id, type: 'log', position: { x: 0, y: 0 }, settings: {} })),
      edges: [
        ['hook', 'map'],
        ['map', 'switch'],
        ['switch', 'a'],
        ['switch', 'b'],
        ['switch', 'c'],
        ['a', 'respond'],
        ['b', 'respond'],
      ].map(([source, target], i) => ({ id: `e${i}`, source, target, sourcePort: 'out', targetPort: 'in' })),
    };
    const pos = autoLayout(flow as never, () => ({ width: W, height: H }));
    const rect = (id: string) => card(pos[id].x, pos[id].y);
    const all = ids.map(rect);
    for (const e of flow.edges) {
      const [a, b] = [rect(e.source), rect(e.target)];
      expect(b.x - (a.x + a.width)).toBeGreaterThanOrEqual(LAYOUT_COLUMN_GAP);
      const p = place(a, b, 9999, all.filter((r) => r !== a && r !== b));
      expect(p.mode).toBe('full');
    }
  });
});
