import { describe, expect, it } from 'vitest';
import { openingViewport, READABLE_ZOOM } from '../../renderer/canvas/opening-view';

const row = (n: number, gap = 300) => Array.from({ length: n }, (_, i) => ({ x: i * gap, y: 100 }));

describe('openingViewport', () => {
  it('fits a small flow, centred, never above 100 %', () => {
    const v = openingViewport(row(2), 1000, 600);
    expect(v.zoom).toBe(1);
    // The two cards (520 px wide) sit in the middle of the canvas.
    expect(v.x + 0 * v.zoom).toBeCloseTo((1000 - 520) / 2);
    expect(v.y + 100 * v.zoom).toBeCloseTo((600 - 72) / 2);
  });

  it('fits a flow that is readable when fitted, with some room around it', () => {
    const v = openingViewport(row(4), 1100, 600);
    expect(v.zoom).toBeGreaterThanOrEqual(READABLE_ZOOM);
    expect(v.zoom).toBeLessThan(1);
    const left = v.x;
    const right = v.x + (900 + 220) * v.zoom;
    expect(left).toBeGreaterThan(0);
    expect(right).toBeLessThan(1100);
    expect(left).toBeCloseTo(1100 - right);
  });

  it("opens a long flow at a readable zoom from its start (the trigger on the canvas's left), not shrunk to fit", () => {
    const flow = [{ x: -40, y: 200 }, ...row(5).map((p) => ({ x: p.x + 260, y: 200 }))];
    const v = openingViewport(flow, 848, 820);
    expect(v.zoom).toBe(READABLE_ZOOM);
    // The leftmost card starts 48 px in; the row is centred vertically.
    expect(v.x + -40 * v.zoom).toBeCloseTo(48);
    expect(v.y + 200 * v.zoom + (72 * v.zoom) / 2).toBeCloseTo(820 / 2);
  });

  it('shows a tall flow from its top', () => {
    const tall = Array.from({ length: 30 }, (_, i) => ({ x: (i % 3) * 300, y: i * 120 }));
    const v = openingViewport(tall, 1200, 700);
    expect(v.zoom).toBe(READABLE_ZOOM);
    expect(v.y).toBeCloseTo(48);
  });

  it('leaves an empty flow or an unmeasured canvas at 100 %', () => {
    expect(openingViewport([], 800, 600)).toEqual({ x: 0, y: 0, zoom: 1 });
    expect(openingViewport(row(3), 0, 0)).toEqual({ x: 0, y: 0, zoom: 1 });
  });
});
