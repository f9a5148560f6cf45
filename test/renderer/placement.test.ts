import { describe, expect, it } from 'vitest';
import { clickAddPosition, COLUMN } from '../../renderer/state/placement';

const at = (id: string, x: number, y: number) => ({ id, position: { x, y } });

describe('clickAddPosition: where a node added from the palette by a click goes', () => {
  it('on an empty canvas, where the view says; else right of the right-most node', () => {
    expect(clickAddPosition([], undefined, { x: 5, y: 6 })).toEqual({ x: 5, y: 6 });
    expect(clickAddPosition([at('a', 0, 0), at('b', 600, 40), at('c', 300, 200)], undefined, { x: 5, y: 6 })).toEqual({ x: 600 + COLUMN, y: 40 });
  });

  it('right of the node it follows, a row further down for each node in the way', () => {
    const nodes = [at('hook', 0, 0), at('first', COLUMN, 0)];
    expect(clickAddPosition([at('hook', 0, 0)], nodes[0], { x: 0, y: 0 })).toEqual({ x: COLUMN, y: 0 });
    expect(clickAddPosition(nodes, nodes[0], { x: 0, y: 0 })).toEqual({ x: COLUMN, y: 128 });
    expect(clickAddPosition([...nodes, at('second', COLUMN + 10, 120)], nodes[0], { x: 0, y: 0 })).toEqual({ x: COLUMN, y: 256 });
    // A node far enough away is not in the way.
    expect(clickAddPosition([...nodes.slice(0, 1), at('far', COLUMN + 240, 0)], nodes[0], { x: 0, y: 0 })).toEqual({ x: COLUMN, y: 0 });
  });
});
