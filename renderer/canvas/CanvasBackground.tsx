import { useId } from 'react';
import { useStore, type ReactFlowState } from '@xyflow/react';

const selectTransform = (s: ReactFlowState) => s.transform;
/** Modulo that is never negative, so the grid's offset stays within one cell. */
const mod = (a: number, n: number) => ((a % n) + n) % n;

/**
 * The dotted grid, drawn as xyflow's `<Background variant="dots">` draws it (same pattern, dot size and
 * colour), but moved by a transform on a layer one cell larger than the canvas rather than by the pattern's
 * x/y attributes. A pan then translates that layer (composited while the viewport moves, see canvas.css)
 * instead of repainting and re-rastering the whole canvas on every frame.
 */
export function CanvasBackground({ gap = 16, size = 1 }: { gap?: number; size?: number }) {
  const [x, y, zoom] = useStore(selectTransform);
  // React's ids carry characters (':' or '«»') that a url(#…) reference would have to escape.
  const id = `hl-grid-${useId().replace(/[^\w-]/g, '')}`;
  const cell = gap * zoom || 1;
  const r = (size * zoom) / 2;
  return (
    <div
      className="react-flow__background hl-background"
      data-testid="canvas-background"
      style={{ width: `calc(100% + ${cell}px)`, height: `calc(100% + ${cell}px)`, transform: `translate(${mod(x, cell) - cell}px, ${mod(y, cell) - cell}px)` }}
    >
      <svg width="100%" height="100%" aria-hidden="true">
        <pattern id={id} width={cell} height={cell} patternUnits="userSpaceOnUse" patternTransform={`translate(-${cell / 2},-${cell / 2})`}>
          <circle cx={r} cy={r} r={r} className="react-flow__background-pattern dots" />
        </pattern>
        <rect x="0" y="0" width="100%" height="100%" fill={`url(#${id})`} />
      </svg>
    </div>
  );
}
