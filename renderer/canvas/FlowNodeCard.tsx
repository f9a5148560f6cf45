import { memo, useLayoutEffect, useRef, useState } from 'react';
import { Handle, NodeResizer, Position, type NodeProps, type Node } from '@xyflow/react';
import { NOTE_SIZE } from '../../core/nodes/note/spec';
import { useCurrentDoc } from '../app-context';
import type { FlowNode } from '../../core/model/flow';
import type { NodeRunState } from '../state/live-store';
import { Icon } from '../icons';
import { iconImage } from './icon-image';
import type { NodeView } from './node-view';
import { plural } from '../plural';

export type CardData = {
  node: FlowNode;
  view: NodeView;
  problems: number;
  /** Warnings: they do not stop a deploy (shown only when the node has no errors). */
  warnings: number;
  deployed: boolean;
  run?: NodeRunState;
  /** The flow pins an answer for this node (previews use it instead of calling out). */
  pinned?: boolean;
  /** Its step is open in the executions panel. */
  inspected?: boolean;
};
export type CardNode = Node<CardData, 'card'>;
/** The colour of the icon on its coloured square (`.hl-node-icon { color }` in canvas.css). */
const ICON_COLOR = '#fff';

/**
 * Clip (with an ellipsis) only a line that does not fit. Every clip is a paint property the browser carries
 * through each frame of a pan, and with hundreds of cards on the canvas two per card cost more than the rest
 * of the card together; a line that fits looks the same without one. Unmeasured (e.g. in a hidden canvas): clip.
 */
function useClipIfOverflowing<T extends HTMLElement>(text: string) {
  const ref = useRef<T>(null);
  const [clip, setClip] = useState(false);
  useLayoutEffect(() => {
    const el = ref.current;
    if (el) setClip(el.clientWidth === 0 || el.scrollWidth > el.clientWidth);
  }, [text]);
  return [ref, clip ? ' is-clipped' : ''] as const;
}

/** One card for every node type: icon, title, subtitle from the spec, labelled ports and status badges. */
function FlowNodeCardImpl({ data, selected }: NodeProps<CardNode>) {
  if (data.node.type === 'note') return <StickyNote node={data.node} selected={!!selected} problems={data.problems} />;
  return <NodeCard data={data} selected={!!selected} />;
}

/** A note's size for xyflow's node (its wrapper gets it as style): the set width, and the height when one is set. */
export function noteSize(node: FlowNode): { width?: number; height?: number } {
  if (node.type !== 'note') return {};
  const s = node.settings as { width?: unknown; height?: unknown };
  return { width: typeof s.width === 'number' ? s.width : NOTE_SIZE.width, ...(typeof s.height === 'number' ? { height: s.height } : {}) };
}

/** A sticky note: its text on a coloured square, no ports (it never runs); when selected, its edges resize it. */
function StickyNote({ node, selected, problems }: { node: FlowNode; selected: boolean; problems: number }) {
  const doc = useCurrentDoc();
  const s = node.settings as { text?: unknown; color?: unknown; height?: unknown };
  const text = typeof s.text === 'string' ? s.text : '';
  const color = typeof s.color === 'string' ? s.color : 'yellow';
  const sized = typeof s.height === 'number';
  return (
    <div className={`hl-node hl-sticky sticky-${color}${selected ? ' is-selected' : ''}${sized ? ' is-sized' : ''}`} data-testid={`node-${node.id}`} data-node-type="note">
      <NodeResizer
        isVisible={selected}
        minWidth={NOTE_SIZE.minWidth}
        minHeight={NOTE_SIZE.minHeight}
        maxWidth={NOTE_SIZE.max}
        maxHeight={NOTE_SIZE.max}
        lineClassName="hl-sticky-resize-line"
        handleClassName="hl-sticky-resize-handle"
        onResizeEnd={(_e, box) => doc?.resizeNote(node.id, box)}
      />
      {problems > 0 && (
        <div className="hl-node-badges">
          <ProblemsBadge nodeId={node.id} count={problems} />
        </div>
      )}
      <div className={`hl-sticky-text${text ? '' : ' empty'}`} data-testid={`sticky-text-${node.id}`}>{text || 'Empty note: select it to write'}</div>
    </div>
  );
}

function ProblemsBadge({ nodeId, count }: { nodeId: string; count: number }) {
  return (
    <span className="hl-badge problems" title={plural(count, 'problem')} data-testid={`badge-problems-${nodeId}`}>
      {count}
    </span>
  );
}

function NodeCard({ data, selected }: { data: CardData; selected: boolean }) {
  const { node, view, problems, warnings, deployed, run, pinned, inspected } = data;
  const rows = Math.max(view.inputs.length, view.outputs.length, 1);
  const subtitle = view.subtitle || view.typeTitle;
  const [titleRef, titleClip] = useClipIfOverflowing<HTMLDivElement>(view.title);
  const [subtitleRef, subtitleClip] = useClipIfOverflowing<HTMLDivElement>(subtitle);
  const deployedBadge = deployed && view.category === 'trigger';
  return (
    <div
      className={`hl-node cat-${view.category}${selected ? ' is-selected' : ''}${node.disabled ? ' is-disabled' : ''}${run ? ` run-${run.status}` : ''}${inspected ? ' is-inspected' : ''}`}
      data-testid={`node-${node.id}`}
      data-node-type={node.type}
      title={run?.error ?? view.spec?.description}
    >
      <div className="hl-node-head">
        <span className="hl-node-icon" style={{ backgroundImage: iconImage(view.icon, ICON_COLOR) }} />
        <div className="hl-node-text">
          <div ref={titleRef} className={`hl-node-title${titleClip}`}>{view.title}</div>
          <div ref={subtitleRef} className={`hl-node-subtitle${subtitleClip}`} data-testid={`node-subtitle-${node.id}`}>{subtitle}</div>
        </div>
      </div>
      {(deployedBadge || problems > 0 || warnings > 0 || run || pinned || node.notes) && (
        <div className="hl-node-badges">
          {node.notes && (
            <span className="hl-badge note" title={node.notes.length > 300 ? `${node.notes.slice(0, 300)}…` : node.notes} data-testid={`badge-note-${node.id}`}>
              <Icon name="note" size={10} />
            </span>
          )}
          {pinned && (
            <span className="hl-badge pinned" title="Pinned answer: previews use it instead of calling out (runs call out)" data-testid={`badge-pinned-${node.id}`}>
              <Icon name="pin" size={10} />
            </span>
          )}
          {deployedBadge && <span className="hl-badge deployed" title="Deployed" data-testid={`badge-deployed-${node.id}`} />}
          {problems > 0 && <ProblemsBadge nodeId={node.id} count={problems} />}
          {problems === 0 && warnings > 0 && (
            <span className="hl-badge warnings" title={plural(warnings, 'warning')} data-testid={`badge-warnings-${node.id}`}>
              !
            </span>
          )}
          {run && (
            <span className={`hl-badge run ${run.status}`} title={run.error ?? `Last run: ${run.status}`} data-testid={`badge-run-${node.id}`}>
              <Icon name={run.status === 'failed' ? 'x' : 'check'} size={11} />
            </span>
          )}
        </div>
      )}
      {run?.status === 'failed' && run.error && (
        <div className="hl-node-status" data-testid={`node-status-${node.id}`}>{run.error}</div>
      )}
      <div className="hl-node-ports" style={{ minHeight: rows * 18 }}>
        <div className="hl-ports in">
          {view.inputs.map((p) => (
            <div className="hl-port" key={p.id}>
              <Handle type="target" position={Position.Left} id={p.id} className="hl-handle" data-testid={`handle-in-${node.id}-${p.id}`} />
              <span>{view.inputs.length > 1 || p.label !== 'in' ? p.label : ''}</span>
            </div>
          ))}
        </div>
        <div className="hl-ports out">
          {view.outputs.map((p) => (
            <div className={`hl-port${p.id === 'error' ? ' error' : ''}`} key={p.id}>
              <span>{p.label}</span>
              <Handle type="source" position={Position.Right} id={p.id} className="hl-handle" data-testid={`handle-out-${node.id}-${p.id}`} />
            </div>
          ))}
        </div>
      </div>
    </div>
  );
}

export const FlowNodeCard = memo(FlowNodeCardImpl);
