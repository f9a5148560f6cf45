import { describe, expect, it } from 'vitest';
import { revealShift } from '../../renderer/canvas/reveal';

const pane = { left: 200, right: 1000, top: 50, bottom: 650 };
const box = (left: number, top: number, w = 220, h = 70) => ({ left, right: left + w, top, bottom: top + h });

describe('revealShift: bringing a selected node into view', () => {
  it('leaves a node in view where it is', () => {
    expect(revealShift(box(300, 100), pane)).toBeUndefined();
  });

  it('scrolls a node partly out of view in just far enough, with a margin', () => {
    // Past the right edge by 120 px: the view moves 152 px to the left, no more.
    expect(revealShift(box(900, 300), pane)).toEqual({ x: -152, y: 0 });
    // Above the top: down by the overflow plus the margin.
    expect(revealShift(box(400, 20), pane)).toEqual({ x: 0, y: 62 });
    // Left of the pane, just out of sight.
    expect(revealShift(box(-100, 300), pane)).toEqual({ x: 332, y: 0 });
  });

  it('centres a node more than a pane away (picked from a list)', () => {
    // The node's centre (3110, 335) goes to the pane's (600, 350).
    expect(revealShift(box(3000, 300), pane)).toEqual({ x: -2510, y: 15 });
    expect(revealShift(box(490, -2000), pane)).toEqual({ x: 0, y: 2315 });
  });
});
